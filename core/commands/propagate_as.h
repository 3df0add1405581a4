#pragma once
// The deterministic forms string and key commands propagate in place of themselves, as Redis 7.0
// rewrites them (relative TTLs become absolute, deletions by TTL become DEL, float formatting is
// replaced by the stored value), so a replay on another node or at a later time does the same.

#include <cstdint>
#include <string_view>

#include "core/commands/command.h"

namespace ringcache::commands {

// Whether an expiry at `at_ms` deletes the key at once (and propagates as DEL): when it is past,
// as in Redis, except on a replica or while the AOF loads. There the key keeps the past deadline
// (hidden from reads until the primary's DEL comes, or expired by the node's own expiry once it
// is a primary): a replica whose clock runs ahead of its primary's must not drop a key the
// primary still holds, or the two differ for good at the same offset.
bool past_expiry_deletes(CommandContext& ctx, int64_t at_ms);
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
