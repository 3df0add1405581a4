#pragma once
// What commands do with their keys, as Redis 7.0's key-spec flags (KeySpecFlag): COMMAND
// GETKEYSANDFLAGS and COMMAND INFO show them, and ACL %R~ / %W~ patterns are checked against
// them. Commands not listed use the defaults of CommandTable::declared_key_flags ("RO access"
// unless write, "RW update" when write).

#include <cstdint>
#include <span>
#include <string_view>

namespace ringcache::commands {

struct RedisKeySpecs {
  uint16_t first = 0;   // flags of the first key (0: the default)
  uint16_t others = 0;  // of the other keys (0: as the first)
  uint16_t (*finder)(std::span<const std::string_view> argv) = nullptr;  // options decide
};

RedisKeySpecs redis_key_specs(std::string_view name);

}  // namespace ringcache::commands
