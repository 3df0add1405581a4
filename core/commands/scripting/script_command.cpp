// SCRIPT LOAD|EXISTS|FLUSH|KILL|HELP (Redis 7.0). SCRIPT KILL is the one scripting command a
// node serves while a script that has run past busy-reply-threshold holds it (allow_busy).

#include <fmt/format.h>

#include "core/commands/arguments.h"
#include "core/commands/command.h"
#include "core/commands/scripting/node_scripting.h"
#include "core/commands/scripting/script_commands.h"
#include "core/commands/server/server_family.h"
#include "core/commands/spec_builder.h"

namespace ringcache::commands {
namespace {

void script_load(CommandContext& ctx) {
  Result<std::string> loaded = node_scripting(ctx.server).engine.load(ctx.argv[2]);
  if (!loaded) return ctx.reply.error("ERR " + loaded.status().message());
  ctx.reply.bulk(*loaded);
}

void script_exists(CommandContext& ctx) {
  const scripting::Engine& engine = node_scripting(ctx.server).engine;
  ctx.reply.array(ctx.argv.size() - 2);
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    ctx.reply.integer(engine.has(scripting::normalized_sha(ctx.argv[i])) ? 1 : 0);
  }
}

void script_flush(CommandContext& ctx) {
  if (ctx.argv.size() > 3 || (ctx.argv.size() == 3 && !option_is(ctx.argv[2], "ASYNC") &&
                              !option_is(ctx.argv[2], "SYNC"))) {
    return ctx.reply.error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
  }
  node_scripting(ctx.server).engine.flush();
  ctx.reply.ok();
}

void script_kill(CommandContext& ctx) {
  server::ScriptRun* run = ctx.server.running_script();
  if (run == nullptr) return ctx.reply.error("NOTBUSY No scripts in execution right now.");
  if (run->wrote) {
    return ctx.reply.error(
        "UNKILLABLE Sorry the script already executed write commands against the dataset. You "
        "can either wait the script termination or kill the server in a hard way using the "
        "SHUTDOWN NOSAVE command.");
  }
  if (run->function) {
    return ctx.reply.error(
        "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
  }
  run->kill_requested = true;
  ctx.reply.ok();
}

void script_debug(CommandContext& ctx) {
  ctx.reply.error("ERR SCRIPT DEBUG is not supported (docs/scripting.md)");
}

void script_help(CommandContext& ctx) {
  reply_help(
      ctx, "SCRIPT",
      {"EXISTS <sha1> [<sha1> ...]",
       "    Return information about the existence of the scripts in the script cache.",
       "FLUSH [ASYNC|SYNC]", "    Flush the Lua scripts cache. Very dangerous on replicas.",
       "    When called without the optional mode argument, the behavior is determined by the",
       "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
       "    * ASYNC: Asynchronously flush the scripts cache.",
       "    * SYNC: Synchronously flush the scripts cache.", "KILL",
       "    Kill the currently executing Lua script.", "LOAD <script>",
       "    Load a script into the scripts cache without executing it."});
}

}  // namespace

void register_script_command(CommandTable& table) {
  const SpecBuilder scripts = SpecBuilder::family("scripting", "@slow @scripting");
  table.add(container("script", "scripting")
                .doc("A container for Lua scripts management commands", "2.6.0")
                .subcommands({
                    scripts.command("script|debug", 3, script_debug)
                        .flags(flag_noscript)
                        .doc("Set the debug mode for executed scripts", "3.2.0"),
                    scripts.command("script|exists", -3, script_exists)
                        .flags(flag_noscript)
                        .doc("Check existence of scripts in the script cache", "2.6.0"),
                    scripts.command("script|flush", -2, script_flush)
                        .flags(flag_noscript | flag_may_replicate)
                        .doc("Remove all the scripts from the script cache", "2.6.0"),
                    scripts.command("script|help", 2, script_help)
                        .flags(flag_loading | flag_stale)
                        .doc("Show helpful text about the different subcommands", "5.0.0"),
                    scripts.command("script|kill", 2, script_kill)
                        .flags(flag_noscript | flag_allow_busy)
                        .doc("Kill the script currently in execution", "2.6.0"),
                    scripts.command("script|load", 3, script_load)
                        .flags(flag_noscript | flag_stale)
                        .doc("Load the specified Lua script into the script cache", "2.6.0"),
                }));
}

}  // namespace ringcache::commands
