#include "core/store/set_value.h"

#include <charconv>
#include <optional>

#include "core/constants.h"
#include "core/util/assert.h"

namespace ringcache::store {
namespace {

// Redis' string2ll rules (the same as the commands' parse_int64): only the canonical decimal
// form of an int64 is an integer member, so "01" or "+1" stay strings.
std::optional<int64_t> canonical_int64(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  char buffer[24];
  const auto [out, ignored] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  if (std::string_view(buffer, out - buffer) != text) return std::nullopt;
  return value;
}

}  // namespace

SetValue::~SetValue() = default;
SetValue::SetValue(SetValue&& other) noexcept = default;

std::string_view SetValue::format(int64_t value, char (&buffer)[24]) {
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  RING_ASSERT(error == std::errc());
  return {buffer, static_cast<size_t>(end - buffer)};
}

void SetValue::rebuild(std::string_view key, const RebuildSink& emit) const {
  // Members are copied: an intset's formatted members live only during the visit.
  std::vector<std::string> members;
  const auto flush = [&] {
    if (members.empty()) return;
    std::vector<std::string_view> argv{"SADD", key};
    argv.insert(argv.end(), members.begin(), members.end());
    emit(argv);
    members.clear();
  };
  for_each([&](std::string_view member) {
    members.emplace_back(member);
    if (members.size() == constants::rebuild_items_per_command_max) flush();
  });
  flush();
}

bool SetValue::contains(std::string_view member) const {
  if (!intset()) return store_.full()->contains(member);
  const auto value = canonical_int64(member);
  return value && compact_view().contains(*value);
}

bool SetValue::add(std::string_view member, const EncodingLimits& limits, Rng& rng) {
  if (intset()) {
    const auto value = canonical_int64(member);
    if (!value) {
      convert(rng);
    } else {
      if (!write_compact([&](IntSet& ints) { return ints.insert(*value); })) return false;
      if (static_cast<int64_t>(size()) > limits.set_max_intset_entries) convert(rng);
      return true;
    }
  }
  return store_.full()->set(member, {});
}

bool SetValue::remove(std::string_view member) {
  if (!intset()) return store_.full()->erase(member);
  const auto value = canonical_int64(member);
  if (!value) return false;
  return write_compact([&](IntSet& ints) { return ints.erase(*value); });
}

std::string SetValue::random(Rng& rng) const {
  RING_ASSERT(size() > 0);
  if (!intset()) return std::string(store_.full()->random(rng).field);
  char buffer[24];
  const IntSet ints = compact_view();
  const int64_t member = ints.at(rng.below(ints.size()));
  return std::string(format(member, buffer));
}

void SetValue::convert(Rng& rng) {
  RING_ASSERT(intset());
  auto table = std::make_unique<FieldTable>(rng.next_u64());
  for_each([&](std::string_view member) { table->set(member, {}); });
  store_.set_full(std::move(table));
}

}  // namespace ringcache::store
