#include "core/store/hash_value.h"

#include <string>
#include <vector>

#include "core/constants.h"
#include "core/store/alloc_size.h"
#include "core/util/assert.h"

namespace ringcache::store {

HashValue::~HashValue() = default;
HashValue::HashValue(HashValue&& other) noexcept = default;

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
    const char* element = store_.full()->find(field);
    if (element == nullptr) return std::nullopt;
    return FieldTable::item(element).value;
  }
  const PackedList list = compact_view();
  const auto pos = list.find(field, list.begin(), 2);
  if (pos == list.end()) return std::nullopt;
  return list.at(list.next(pos));
}

bool HashValue::set(std::string_view field, std::string_view value, const EncodingLimits& limits,
                    Rng& rng) {
  const auto too_long = [&](std::string_view text) {
    return static_cast<int64_t>(text.size()) > limits.hash_max_listpack_value;
  };
  if (compact() && (too_long(field) || too_long(value))) convert(rng);
  if (!compact()) return store_.full()->set(field, value);
  const bool added = write_compact([&](PackedList& list) {
    const auto pos = list.find(field, list.begin(), 2);
    if (pos != list.end()) {
      list.replace(list.next(pos), value);
      return false;
    }
    list.push_back(field);
    list.push_back(value);
    return true;
  });
  if (added && static_cast<int64_t>(size()) > limits.hash_max_listpack_entries) convert(rng);
  return added;
}

bool HashValue::erase(std::string_view field) {
  if (!compact()) return store_.full()->erase(field);
  return write_compact([&](PackedList& list) {
    const auto pos = list.find(field, list.begin(), 2);
    if (pos == list.end()) return false;
    list.erase(pos, 2);
    return true;
  });
}

HashValue::Item HashValue::random(Rng& rng) const {
  RING_ASSERT(size() > 0);
  if (!compact()) return store_.full()->random(rng);
  const PackedList list = compact_view();
  const auto pos = list.seek(static_cast<int64_t>(2 * rng.below(list.size() / 2)));
  return Item{list.at(pos), list.at(list.next(pos))};
}

void HashValue::convert(Rng& rng) {
  RING_ASSERT(compact());
  auto table = std::make_unique<FieldTable>(rng.next_u64());
  for_each([&](const Item& item) { table->set(item.field, item.value); });
  store_.set_full(std::move(table));
}

}  // namespace ringcache::store
