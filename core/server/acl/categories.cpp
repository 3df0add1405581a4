#include "core/server/acl/categories.h"

#include <array>

#include "core/protocol/ascii.h"

namespace ringcache::server::acl {
namespace {

constexpr std::array<std::string_view, 21> names = {
    "keyspace", "read",      "write", "set",     "sortedset",  "list",        "hash",
    "string",   "bitmap",    "hyperloglog", "geo", "stream",   "pubsub",      "admin",
    "fast",     "slow",      "blocking",    "dangerous",       "connection", "transaction",
    "scripting"};
static_assert(names.size() <= 32, "a category is one bit of a uint32_t");

}  // namespace

std::span<const std::string_view> category_names() { return names; }

std::optional<uint32_t> category_bit(std::string_view name) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (protocol::iequals(names[i], name)) return 1u << i;
  }
  return std::nullopt;
}

uint32_t category_bits(std::string_view categories) {
  uint32_t bits = 0;
  while (!categories.empty()) {
    const size_t space = categories.find(' ');
    const std::string_view word = categories.substr(0, space);
    if (word.starts_with('@')) bits |= category_bit(word.substr(1)).value_or(0);
    if (space == std::string_view::npos) break;
    categories.remove_prefix(space + 1);
  }
  return bits;
}

}  // namespace ringcache::server::acl
