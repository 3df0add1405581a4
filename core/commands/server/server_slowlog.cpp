// SLOWLOG GET/LEN/RESET/HELP over the node's slow log, with Redis 7.0's replies.

#include <fmt/format.h>

#include "core/commands/arguments.h"
#include "core/commands/server/server_family.h"
#include "core/server/server.h"

namespace ringcache::commands {
namespace {

constexpr int64_t count_default = 10;

// "ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP."
void reply_syntax(CommandContext& ctx, std::string_view command) {
  ctx.reply.error(
      fmt::format("ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.",
                  ctx.argv[1].substr(0, 128), command));
}

void reply_entry(CommandContext& ctx, const metrics::SlowLogEntry& entry) {
  ctx.reply.array(6);
  ctx.reply.integer(static_cast<int64_t>(entry.id));
  ctx.reply.integer(entry.unix_seconds);
  ctx.reply.integer(entry.duration_us);
  ctx.reply.array(entry.args.size());
  for (const std::string& arg : entry.args) ctx.reply.bulk(arg);
  ctx.reply.bulk(entry.client_address);
  ctx.reply.bulk(entry.client_name);
}

// SLOWLOG GET [count]: the newest `count` entries (10; -1 for all).
void slowlog_get(CommandContext& ctx) {
  if (ctx.argv.size() > 3) return reply_syntax(ctx, "SLOWLOG");
  const auto& entries = ctx.server.slowlog().entries();
  int64_t count = count_default;
  if (ctx.argv.size() == 3) {
    const auto parsed = int64_or_reply(ctx, ctx.argv[2]);
    if (!parsed) return;
    if (*parsed < -1) return ctx.reply.error("ERR count should be greater than or equal to -1");
    count = *parsed == -1 ? static_cast<int64_t>(entries.size()) : *parsed;
  }
  const size_t sent = std::min(entries.size(), static_cast<size_t>(count));
  ctx.reply.array(sent);
  for (size_t i = 0; i < sent; ++i) reply_entry(ctx, entries[i]);
}

void slowlog_len(CommandContext& ctx) {
  ctx.reply.integer(static_cast<int64_t>(ctx.server.slowlog().size()));
}

void slowlog_reset(CommandContext& ctx) {
  ctx.server.slowlog().reset();
  ctx.reply.ok();
}

void slowlog_help(CommandContext& ctx) {
  reply_help(ctx, "SLOWLOG",
             {"GET [<count>]",
              "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
              "    Entries are made of:",
              "    id, timestamp, time in microseconds, arguments array, client IP and port,",
              "    client name", "LEN", "    Return the length of the slowlog.", "RESET",
              "    Reset the slowlog."});
}

}  // namespace

void register_slowlog_commands(CommandTable& table) {
  const SpecBuilder admin = SpecBuilder::family("server", "@admin @slow @dangerous")
                                .flags(flag_admin | flag_loading | flag_stale);
  table.add(container("slowlog", "server")
                .doc("A container for slow log commands", "2.2.12")
                .subcommands({
                    admin.command("slowlog|get", -2, slowlog_get)
                        .doc("Get the slow log's entries", "2.2.12"),
                    admin.command("slowlog|len", 2, slowlog_len)
                        .doc("Get the slow log's length", "2.2.12"),
                    admin.command("slowlog|reset", 2, slowlog_reset)
                        .doc("Clear all entries from the slow log", "2.2.12"),
                    admin.command("slowlog|help", 2, slowlog_help)
                        .flags(flag_loading | flag_stale)
                        .acl("@slow")
                        .doc("Show helpful text about the different subcommands", "6.2.0"),
                }));
}

}  // namespace ringcache::commands
