#include "core/commands/blocking_command.h"

#include <chrono>
#include <cmath>
#include <cstdint>

#include "core/commands/arguments.h"
#include "core/constants.h"
#include "core/server/server.h"

namespace ringcache::commands {

bool block_deadline_or_reply(CommandContext& ctx, std::string_view text,
                             std::optional<Instant>& deadline) {
  const auto seconds = parse_long_double(text);
  if (!seconds) {
    ctx.reply.error("ERR timeout is not a float or out of range");
    return false;
  }
  // Redis rounds up to whole milliseconds (a positive sub-millisecond timeout waits 1 ms), then
  // converts with a C cast, which on x86 turns anything out of range (inf, 1e300) into
  // INT64_MIN: such timeouts are refused as negative.
  const long double ms = std::ceil(*seconds * 1000.0L);
  const bool fits = ms >= -9.2e18L && ms <= 9.2e18L;
  const int64_t timeout_ms = fits ? static_cast<int64_t>(ms) : INT64_MIN;
  if (timeout_ms < 0) {
    ctx.reply.error("ERR timeout is negative");
    return false;
  }
  deadline.reset();
  if (timeout_ms > 0 && timeout_ms <= constants::block_timeout_ms_max) {
    deadline = ctx.server.runtime().now() + std::chrono::milliseconds(timeout_ms);
  }
  return true;
}

bool may_block(const CommandContext& ctx) { return !ctx.client.in_exec; }

bool runs_for_script(const CommandContext& ctx) {
  const server::ScriptRun* run = ctx.server.running_script();
  return run != nullptr && run->script_client == &ctx.client;
}

void block_on_keys(CommandContext& ctx, std::span<const std::string_view> keys,
                   std::optional<Instant> deadline, server::ServeFunction serve) {
  // Served, it is the client whose command runs: what serving it changes is told to it after
  // its reply (the invalidation of a tracked key it moved an element into), as in Redis.
  server::ServeFunction served_as_client = [&ctx, serve = std::move(serve)](std::string_view key) {
    const auto outer = ctx.server.push_delivery().enter(ctx.client, ctx.reply);
    const server::ServeResult result = serve(key);
    ctx.server.push_delivery().leave(outer);
    return result;
  };
  const Instant parked = ctx.server.runtime().now();
  const server::WaitEnd end = ctx.server.blocked_clients().block(ctx.client, keys, deadline,
                                                                 std::move(served_as_client));
  ctx.client.blocked_wait += ctx.server.runtime().now() - parked;
  ctx.client.wait_timed_out = end == server::WaitEnd::timed_out;
  // Other clients ran while this one waited: the rest of its batch sees the present.
  ctx.server.keyspace().set_now_ms(ctx.server.runtime().wall_time_ms());
  switch (end) {
    case server::WaitEnd::served:
    case server::WaitEnd::disconnected:
      return;
    case server::WaitEnd::timed_out:
      return ctx.reply.null_array();
    case server::WaitEnd::unblocked_error:
      return ctx.reply.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
  }
}

void begin_served_unit(CommandContext& ctx, std::initializer_list<std::string_view> keys) {
  ctx.server.propagation().begin_command();
  if (!ctx.server.before_write()) return;
  for (std::string_view key : keys) ctx.server.before_write()(key);
}

}  // namespace ringcache::commands
