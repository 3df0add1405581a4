#pragma once
// Redis 7.0's ACL command categories (ACL CAT, +@read, -@dangerous): their names in Redis' order
// and the bit each has in CommandSpec::category_bits, read from the table's "@write @string" text.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace ringcache::server::acl {

// The category names, ACL CAT's order; a category's bit is 1u << its index.
std::span<const std::string_view> category_names();
// The bit of a name without its "@" ("read"), case-insensitive; nullopt when unknown.
std::optional<uint32_t> category_bit(std::string_view name);
// The bits of a space-separated "@write @string @slow" list; unknown names are ignored.
uint32_t category_bits(std::string_view categories);

}  // namespace ringcache::server::acl
