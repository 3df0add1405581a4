#pragma once
// One key with its value, expiry and eviction metadata.
//
// Public accessors below are what commands use; the layout (private part) is the store's
// business and is built to keep per-key overhead small (see docs/memory.md once written).

#include <cstdint>
#include <string_view>

namespace ringcache::store {

enum class ValueType : uint8_t { string = 0, list, set, zset, hash };
// "string", "list", ... as TYPE replies.
const char* type_name(ValueType type);

// Expiry value meaning "no expiry".
inline constexpr int64_t no_expiry = -1;

class Entry {
 public:
  std::string_view key() const;
  ValueType type() const;
  // The value of a string entry.
  std::string_view string_value() const;
  // Absolute expiry in Unix ms, or no_expiry.
  int64_t expire_at_ms() const;
  bool has_expiry() const { return expire_at_ms() != no_expiry; }
  // OBJECT ENCODING: "int", "embstr" or "raw" for strings.
  const char* encoding() const;

  // Implementation-defined from here on (see entry.cpp / hash_table.h).
};

}  // namespace ringcache::store
