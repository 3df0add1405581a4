// Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH with Redis 7.0's semantics (multi.c).
// Queueing happens in dispatch (client_modes.cpp): between MULTI and EXEC a command that passes
// the checks is queued (+QUEUED), one that fails them makes EXEC answer EXECABORT. EXEC runs the
// queued commands one by one through the normal dispatch (so each is timed, counted, tracked and
// propagated as usual) with Client::in_exec set; a runtime error is that command's reply.

#include <string>
#include <string_view>
#include <vector>

#include "core/commands/command.h"
#include "core/commands/dispatch.h"
#include "core/commands/server/server_family.h"
#include "core/server/server.h"

namespace ringcache::commands {
namespace {

void end_transaction(CommandContext& ctx) { ctx.server.forget_transaction(ctx.client); }

void multi_command(CommandContext& ctx) {
  if (ctx.client.in_multi) return ctx.reply.error("ERR MULTI calls can not be nested");
  ctx.client.in_multi = true;
  ctx.reply.ok();
}

void discard_command(CommandContext& ctx) {
  if (!ctx.client.in_multi) return ctx.reply.error("ERR DISCARD without MULTI");
  end_transaction(ctx);
  ctx.reply.ok();
}

// A watched key that has expired since WATCH counts as changed: looking it up expires it, which
// touches its watchers.
bool watched_key_changed(CommandContext& ctx) {
  for (const std::string& key : std::vector<std::string>(ctx.client.watched)) {
    (void)ctx.server.keyspace().peek(key);
  }
  return ctx.client.watch_dirty;
}

void exec_command(CommandContext& ctx) {
  server::Client& client = ctx.client;
  if (!client.in_multi) return ctx.reply.error("ERR EXEC without MULTI");
  if (client.multi_failed) {
    end_transaction(ctx);
    return ctx.reply.error("EXECABORT Transaction discarded because of previous errors.");
  }
  if (watched_key_changed(ctx)) {
    end_transaction(ctx);
    return ctx.reply.null_array();
  }
  const std::vector<std::vector<std::string>> queued = std::move(client.queued);
  end_transaction(ctx);
  ctx.reply.array(queued.size());
  client.in_exec = true;
  for (const std::vector<std::string>& command : queued) {
    const std::vector<std::string_view> argv(command.begin(), command.end());
    execute(ctx.server, client, argv, ctx.reply, CommandTime::preset);
  }
  client.in_exec = false;
}

void watch_command(CommandContext& ctx) {
  if (ctx.client.in_multi) return ctx.reply.error("ERR WATCH inside MULTI is not allowed");
  for (size_t i = 1; i < ctx.argv.size(); ++i) {
    (void)ctx.server.keyspace().peek(ctx.argv[i]);  // an already expired key goes first
    ctx.server.watched_keys().watch(ctx.client, ctx.argv[i]);
  }
  ctx.reply.ok();
}

void unwatch_command(CommandContext& ctx) {
  ctx.server.watched_keys().unwatch_all(ctx.client);
  ctx.client.watch_dirty = false;
  ctx.reply.ok();
}

}  // namespace

void register_transaction_commands(CommandTable& table) {
  constexpr uint32_t kControl = flag_noscript | flag_loading | flag_stale | flag_fast |
                                flag_allow_busy;
  const char* fast = "@fast @transaction";
  auto add = [&](std::string_view name, int arity, uint32_t flags, Handler handler,
                 std::string_view acl, std::string_view summary, std::string_view since) {
    table.add(keyless(name, arity, flags, handler, acl, "transactions", summary, since));
  };
  add("multi", 1, kControl, multi_command, fast, "Mark the start of a transaction block",
      "1.2.0");
  add("exec", 1, flag_noscript | flag_loading | flag_stale | flag_skip_slowlog, exec_command,
      "@slow @transaction", "Execute all commands issued after MULTI", "1.2.0");
  add("discard", 1, kControl, discard_command, fast, "Discard all commands issued after MULTI",
      "2.0.0");
  add("unwatch", 1, kControl, unwatch_command, fast, "Forget about all watched keys", "2.2.0");
  CommandSpec watch = keyless("watch", -2, kControl, watch_command, fast, "transactions",
                              "Watch the given keys to determine execution of the MULTI/EXEC "
                              "block", "2.2.0");
  watch.keys = {1, -1, 1};
  table.add(std::move(watch));
}

}  // namespace ringcache::commands
