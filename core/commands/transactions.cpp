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
#include "core/commands/spec_builder.h"
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
  const SpecBuilder transactions = SpecBuilder::family("transactions", "{speed} @transaction");
  constexpr uint32_t control_flags =
      flag_noscript | flag_loading | flag_stale | flag_fast | flag_allow_busy;
  // MULTI, EXEC, DISCARD and WATCH run at once inside MULTI; UNWATCH is queued, as in Redis.
  constexpr uint32_t runs_in_multi = control_flags | flag_transaction_control;
  const CommandSpec specs[] = {
      transactions.command("multi", 1, multi_command)
          .flags(runs_in_multi)
          .doc("Mark the start of a transaction block", "1.2.0"),
      transactions.command("exec", 1, exec_command)
          .flags(flag_noscript | flag_loading | flag_stale | flag_skip_slowlog |
                 flag_transaction_control | flag_runs_transaction)
          .doc("Execute all commands issued after MULTI", "1.2.0"),
      transactions.command("discard", 1, discard_command)
          .flags(runs_in_multi)
          .doc("Discard all commands issued after MULTI", "2.0.0"),
      transactions.command("unwatch", 1, unwatch_command)
          .flags(control_flags)
          .doc("Forget about all watched keys", "2.2.0"),
      transactions.command("watch", -2, watch_command)
          .flags(runs_in_multi)
          .keys(all_keys)
          .doc("Watch the given keys to determine execution of the MULTI/EXEC block", "2.2.0"),
  };
  for (const auto& spec : specs) table.add(spec);
}

}  // namespace ringcache::commands
