// EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT LOAD|EXISTS|FLUSH|KILL|HELP, as Redis 7.0 has
// them. A script runs atomically through core/scripting/'s engine; dispatch wraps what its
// commands propagate in one MULTI ... EXEC (flag_runs_script).

#include <fmt/format.h>

#include <span>
#include <string>
#include <vector>

#include "core/commands/arguments.h"
#include "core/commands/command.h"
#include "core/commands/scripting/node_scripting.h"
#include "core/commands/scripting/script_caller.h"
#include "core/commands/scripting/script_commands.h"
#include "core/commands/spec_builder.h"
#include "core/scripting/shebang.h"

namespace ringcache::commands {
namespace {

// The number of keys EVAL's third argument gives, or nullopt after replying with the error.
std::optional<size_t> numkeys_or_reply(CommandContext& ctx) {
  const std::optional<int64_t> numkeys = int64_or_reply(ctx, ctx.argv[2]);
  if (!numkeys) return std::nullopt;
  if (*numkeys < 0) {
    ctx.reply.error("ERR Number of keys can't be negative");
    return std::nullopt;
  }
  if (*numkeys > static_cast<int64_t>(ctx.argv.size() - 3)) {
    ctx.reply.error("ERR Number of keys can't be greater than number of args");
    return std::nullopt;
  }
  return static_cast<size_t>(*numkeys);
}

// Redis' refusals of a script before it runs, from its shebang flags.
std::optional<std::string> refusal(CommandContext& ctx, const scripting::Engine& engine,
                                   std::string_view sha, bool read_only_command) {
  if (!engine.has_shebang(sha)) return std::nullopt;
  const uint32_t flags = engine.flags(sha);
  if (read_only_command && (flags & scripting::script_no_writes) == 0) {
    return "ERR Can not execute a script with write flag using *_ro command.";
  }
  if ((flags & scripting::script_no_cluster) != 0 && ctx.server.config().cluster.enabled) {
    return "ERR Can not run script on cluster, 'no-cluster' flag is set.";
  }
  return refusal_before_run(ctx, flags);
}

void eval_generic(CommandContext& ctx, bool by_sha, bool read_only_command) {
  const std::optional<size_t> numkeys = numkeys_or_reply(ctx);
  if (!numkeys) return;
  NodeScripting& scripting = node_scripting(ctx.server);
  std::string sha;
  if (by_sha) {
    sha = scripting::normalized_sha(ctx.argv[1]);
    if (!scripting.engine.has(sha)) {
      return ctx.reply.error("NOSCRIPT No matching script. Please use EVAL.");
    }
  } else {
    Result<std::string> loaded = scripting.engine.load(ctx.argv[1]);
    if (!loaded) return ctx.reply.error("ERR " + loaded.status().message());
    sha = std::move(*loaded);
  }
  if (auto refused = refusal(ctx, scripting.engine, sha, read_only_command)) {
    return ctx.reply.error(*refused);
  }
  const bool no_writes = (scripting.engine.flags(sha) & scripting::script_no_writes) != 0;
  const std::span<const std::string_view> keys = ctx.argv.subspan(3, *numkeys);
  const std::span<const std::string_view> args = ctx.argv.subspan(3 + *numkeys);
  server::ScriptRun run;
  run.cross_slot_allowed =
      !scripting.engine.has_shebang(sha) ||
      (scripting.engine.flags(sha) & scripting::script_allow_cross_slot_keys) != 0;
  run_script(ctx, run, read_only_command || no_writes, [&](scripting::Host& host) {
    scripting.engine.run(sha, keys, args, host, ctx.reply);
  });
}

// What a script's shebang declares: whether it may write (CommandSpec::script_may_write).
std::optional<bool> declared_may_write(uint32_t script_flags) {
  return (script_flags & scripting::script_no_writes) == 0;
}

std::optional<bool> eval_may_write(server::Server&, std::span<const std::string_view> argv) {
  Result<scripting::Shebang> shebang = scripting::parse_shebang(argv[1], false);
  if (!shebang || !shebang->present) return std::nullopt;
  return declared_may_write(shebang->flags);
}

std::optional<bool> evalsha_may_write(server::Server& server,
                                      std::span<const std::string_view> argv) {
  const scripting::Engine& engine = node_scripting(server).engine;
  const std::string sha = scripting::normalized_sha(argv[1]);
  if (!engine.has(sha) || !engine.has_shebang(sha)) return std::nullopt;
  return declared_may_write(engine.flags(sha));
}

void eval_command(CommandContext& ctx) { eval_generic(ctx, false, false); }
void evalsha_command(CommandContext& ctx) { eval_generic(ctx, true, false); }
void eval_ro_command(CommandContext& ctx) { eval_generic(ctx, false, true); }
void evalsha_ro_command(CommandContext& ctx) { eval_generic(ctx, true, true); }

}  // namespace

void register_eval_commands(CommandTable& table) {
  const SpecBuilder scripts = SpecBuilder::family("scripting", "@slow @scripting");
  constexpr uint32_t eval_flags =
      flag_noscript | flag_skip_monitor | flag_stale | flag_no_mandatory_keys | flag_movablekeys |
      flag_runs_script;
  const CommandSpec specs[] = {
      scripts.command("eval", -3, eval_command)
          .flags(eval_flags | flag_may_replicate)
          .key_finder(script_keys)
          .script_may_write(eval_may_write)
          .doc("Execute a Lua script server side", "2.6.0"),
      scripts.command("evalsha", -3, evalsha_command)
          .flags(eval_flags | flag_may_replicate)
          .key_finder(script_keys)
          .script_may_write(evalsha_may_write)
          .doc("Execute a Lua script server side", "2.6.0"),
      scripts.command("eval_ro", -3, eval_ro_command)
          .flags(eval_flags | flag_readonly)
          .key_finder(script_keys)
          .script_may_write(eval_may_write)
          .doc("Execute a read-only Lua script server side", "7.0.0"),
      scripts.command("evalsha_ro", -3, evalsha_ro_command)
          .flags(eval_flags | flag_readonly)
          .key_finder(script_keys)
          .script_may_write(evalsha_may_write)
          .doc("Execute a read-only Lua script server side", "7.0.0"),
  };
  for (const auto& spec : specs) table.add(spec);
}

}  // namespace ringcache::commands
