#include "core/commands/propagate_as.h"

#include <fmt/format.h>

#include <string>

#include "core/server/server.h"

namespace ringcache::commands {

bool past_expiry_deletes(CommandContext& ctx, int64_t at_ms) {
  if (ctx.server.is_replica() || ctx.server.loading()) return false;
  return at_ms <= ctx.server.keyspace().now_ms();
}

void propagate_as_del(CommandContext& ctx, std::string_view key) {
  ctx.server.propagation().replace_with({"DEL", key});
}

void propagate_as_pexpireat(CommandContext& ctx, std::string_view key, int64_t at_ms) {
  const std::string at = fmt::format("{}", at_ms);
  ctx.server.propagation().replace_with({"PEXPIREAT", key, at});
}

void propagate_as_set_pxat(CommandContext& ctx, std::string_view key, std::string_view value,
                           int64_t at_ms) {
  const std::string at = fmt::format("{}", at_ms);
  ctx.server.propagation().replace_with({"SET", key, value, "PXAT", at});
}

void propagate_as_set_keepttl(CommandContext& ctx, std::string_view key, std::string_view value) {
  ctx.server.propagation().replace_with({"SET", key, value, "KEEPTTL"});
}

void propagate_as_set(CommandContext& ctx, std::string_view key, std::string_view value) {
  ctx.server.propagation().replace_with({"SET", key, value});
}

}  // namespace ringcache::commands
