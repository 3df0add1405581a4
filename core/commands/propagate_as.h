#pragma once
// The deterministic forms string and key commands propagate in place of themselves, as Redis 7.0
// rewrites them (relative TTLs become absolute, deletions by TTL become DEL, float formatting is
// replaced by the stored value), so a replay on another node or at a later time does the same.

#include <cstdint>
#include <string_view>

#include "core/commands/command.h"

namespace ringcache::commands {

// DEL key (GETDEL; an expiry set in the past).
void propagate_as_del(CommandContext& ctx, std::string_view key);
// PEXPIREAT key at_ms (EXPIRE, PEXPIRE, EXPIREAT, GETEX EX/PX/EXAT).
void propagate_as_pexpireat(CommandContext& ctx, std::string_view key, int64_t at_ms);
// SET key value PXAT at_ms (SET EX/PX/EXAT, SETEX, PSETEX).
void propagate_as_set_pxat(CommandContext& ctx, std::string_view key, std::string_view value,
                           int64_t at_ms);
// SET key value KEEPTTL (INCRBYFLOAT).
void propagate_as_set_keepttl(CommandContext& ctx, std::string_view key, std::string_view value);
// SET key value (GETSET).
void propagate_as_set(CommandContext& ctx, std::string_view key, std::string_view value);

}  // namespace ringcache::commands
