#include "core/store/hash_value.h"

#include <string>
#include <vector>

#include "core/constants.h"
#include "core/store/alloc_size.h"
#include "core/util/assert.h"

namespace ringcache::store {

HashValue::~HashValue() = default;
HashValue::HashValue(HashValue&& other) noexcept = default;

size_t HashValue::allocated_bytes() const {
  return compact() ? list_.allocated_bytes() : table_->allocated_bytes();
}

void HashValue::rebuild(std::string_view key, const RebuildSink& emit) const {
  std::vector<std::string_view> argv;
  const auto flush = [&] {
    if (argv.size() > 2) emit(argv);
    argv.assign({"HSET", key});
  };
  flush();
  for_each([&](const Item& item) {
    argv.push_back(item.field);
    argv.push_back(item.value);
    if (argv.size() - 2 == 2 * constants::rebuild_items_per_command_max) flush();
  });
  flush();
}

std::optional<std::string_view> HashValue::get(std::string_view field) const {
  if (!compact()) {
    const char* element = table_->find(field);
    if (element == nullptr) return std::nullopt;
    return FieldTable::item(element).value;
  }
  const auto pos = list_.find(field, list_.begin(), 2);
  if (pos == list_.end()) return std::nullopt;
  return list_.at(list_.next(pos));
}

bool HashValue::set(std::string_view field, std::string_view value, const EncodingLimits& limits,
                    Rng& rng) {
  const auto too_long = [&](std::string_view text) {
    return static_cast<int64_t>(text.size()) > limits.hash_max_listpack_value;
  };
  if (compact() && (too_long(field) || too_long(value))) convert(rng);
  if (!compact()) return table_->set(field, value);
  const auto pos = list_.find(field, list_.begin(), 2);
  if (pos != list_.end()) {
    list_.replace(list_.next(pos), value);
    return false;
  }
  list_.push_back(field);
  list_.push_back(value);
  if (static_cast<int64_t>(size()) > limits.hash_max_listpack_entries) convert(rng);
  return true;
}

bool HashValue::erase(std::string_view field) {
  if (!compact()) return table_->erase(field);
  const auto pos = list_.find(field, list_.begin(), 2);
  if (pos == list_.end()) return false;
  list_.erase(pos, 2);
  return true;
}

HashValue::Item HashValue::random(Rng& rng) const {
  RING_ASSERT(size() > 0);
  if (!compact()) return table_->random(rng);
  const auto pos = list_.seek(static_cast<int64_t>(2 * rng.below(size())));
  return {list_.at(pos), list_.at(list_.next(pos))};
}

void HashValue::convert(Rng& rng) {
  RING_ASSERT(compact());
  auto table = std::make_unique<FieldTable>(rng.next_u64());
  for_each([&](const Item& item) { table->set(item.field, item.value); });
  table_ = std::move(table);
  list_.clear();
}

}  // namespace ringcache::store
