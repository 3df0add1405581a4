// The server family's registration, and its small commands: TIME, DEBUG, FUNCTION FLUSH,
// SHUTDOWN. Larger ones live in server_*.cpp (INFO, CONFIG, COMMAND, CLIENT, SLOWLOG, LATENCY,
// connection).

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "core/commands/arguments.h"
#include "core/commands/server/server_family.h"
#include "core/server/server.h"
#include "core/protocol/ascii.h"

namespace ringcache::commands {

void reply_help(CommandContext& ctx, std::string_view command,
                std::initializer_list<std::string_view> lines) {
  ctx.reply.array(lines.size() + 3);
  ctx.reply.simple(
      fmt::format("{} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", command));
  for (std::string_view line : lines) ctx.reply.simple(line);
  ctx.reply.simple("HELP");
  ctx.reply.simple("    Prints this help.");
}

namespace {

void time_command(CommandContext& ctx) {
  const int64_t now_us = ctx.server.runtime().wall_time_us();
  ctx.reply.array(2);
  ctx.reply.bulk(std::to_string(now_us / 1'000'000));
  ctx.reply.bulk(std::to_string(now_us % 1'000'000));
}

// DEBUG SLEEP: Redis blocks its whole event loop for the time; here every client is paused for
// it (their commands wait, expiry and eviction stop) while the caller's fiber sleeps.
void debug_sleep(CommandContext& ctx) {
  const std::optional<long double> seconds = parse_long_double(ctx.argv[2]);
  if (!seconds || *seconds < 0 || *seconds > constants::debug_sleep_seconds_max) {
    return ctx.reply.error(fmt::format("ERR DEBUG SLEEP takes 0 to {} seconds",
                                       constants::debug_sleep_seconds_max));
  }
  const auto duration = std::chrono::nanoseconds(static_cast<int64_t>(*seconds * 1e9L));
  ctx.server.client_pause().pause(ctx.server.runtime().now() + duration, server::PauseScope::all);
  ctx.server.runtime().sleep_for(duration);
  // Other clients ran meanwhile; the commands after this one in a pipeline see the time after
  // the sleep, as in Redis (see CommandTime::preset).
  ctx.server.keyspace().set_now_ms(ctx.server.runtime().wall_time_ms());
  ctx.reply.ok();
}

void debug_command(CommandContext& ctx) {
  if (ctx.argv.size() == 3 && option_is(ctx.argv[1], "SLEEP")) return debug_sleep(ctx);
  if (ctx.argv.size() == 2 && option_is(ctx.argv[1], "HELP")) {
    return reply_help(ctx, "DEBUG",
                      {"SLEEP <seconds>", "    Stop the server for <seconds>. Decimals allowed."});
  }
  ctx.reply.error(fmt::format(
      "ERR unknown subcommand or wrong number of arguments for '{}'. Try DEBUG HELP.",
      ctx.argv[1].substr(0, 128)));
}

// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE]: nothing is saved; no reply, the node stops.
void shutdown_command(CommandContext& ctx) {
  for (size_t i = 1; i < ctx.argv.size(); ++i) {
    const std::string_view option = ctx.argv[i];
    if (option_is(option, "ABORT")) return ctx.reply.error("ERR No shutdown in progress.");
    if (!option_is(option, "NOSAVE") && !option_is(option, "SAVE") &&
        !option_is(option, "NOW") && !option_is(option, "FORCE")) {
      return ctx.reply.error(errors::syntax);
    }
  }
  ctx.server.runtime().log(LogLevel::warning, "User requested shutdown...");
  ctx.client.close_after_reply = true;
  ctx.server.request_shutdown();
}

// MONITOR: from now on this client receives a line for every command others run
// (server/monitors.h) besides the replies to its own.
void monitor_command(CommandContext& ctx) {
  ctx.server.monitors().add(ctx.client);
  ctx.reply.ok();
}

// BGREWRITEAOF: the rewrite runs on its own fiber (persistence/aof.h); the reply only says it began.
void bgrewriteaof_command(CommandContext& ctx) {
  server::PersistenceControl* persistence = ctx.server.persistence();
  if (persistence == nullptr) {
    return ctx.reply.error("ERR Background append only file rewriting needs appendonly yes");
  }
  auto started = persistence->request_rewrite();
  if (!started) return ctx.reply.error(started.status().message());
  ctx.reply.simple(started.value());
}

void register_misc_commands(CommandTable& table) {
  const SpecBuilder server = SpecBuilder::family("server", "@admin @slow @dangerous");
  constexpr uint32_t admin_flags = flag_admin | flag_noscript | flag_loading | flag_stale;
  const CommandSpec specs[] = {
      server.command("time", 1, time_command)
          .flags(flag_loading | flag_stale | flag_fast)
          .acl("@fast")
          .doc("Return the current server time", "2.6.0"),
      server.command("debug", -2, debug_command)
          .flags(admin_flags)
          .doc("A container for debugging commands", "1.0.0"),
      server.command("shutdown", -1, shutdown_command)
          .flags(admin_flags | flag_no_multi | flag_allow_busy)
          .doc("Synchronously save the dataset to disk and then shut down the server", "1.0.0"),
      server.command("monitor", 1, monitor_command)
          .flags(admin_flags)
          .doc("Listen for all requests received by the server in real time", "1.0.0"),
      server.command("bgrewriteaof", 1, bgrewriteaof_command)
          .flags(flag_admin | flag_noscript)
          .doc("Asynchronously rewrite the append-only file", "1.0.0"),
  };
  for (const auto& spec : specs) table.add(spec);
}

}  // namespace

void register_server_commands(CommandTable& table) {
  register_connection_commands(table);
  register_client_commands(table);
  register_config_commands(table);
  register_command_commands(table);
  register_info_command(table);
  register_slowlog_commands(table);
  register_latency_commands(table);
  register_memory_commands(table);
  register_module_commands(table);
  register_lolwut_command(table);
  register_acl_commands(table);
  register_misc_commands(table);
}

}  // namespace ringcache::commands
