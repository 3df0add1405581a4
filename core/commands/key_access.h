#pragma once
// What commands do with their keys' values where their flags do not tell, for %R~ / %W~ key
// patterns: Redis 7.0's key-spec flags reduced to read (ACCESS) and write (INSERT, DELETE,
// UPDATE). Commands not listed read their keys when readonly and write them when write.

#include <cstdint>
#include <span>
#include <string_view>

namespace ringcache::commands {

struct RedisKeyAccess {
  uint8_t first = 0;   // KeyAccess bits of the first key (0: from the flags)
  uint8_t others = 0;  // of the other keys (0: as the first)
  uint8_t (*finder)(std::span<const std::string_view> argv) = nullptr;  // options decide
};

RedisKeyAccess redis_key_access(std::string_view name);

}  // namespace ringcache::commands
