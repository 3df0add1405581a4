// FCALL, FCALL_RO and FUNCTION LOAD|DELETE|FLUSH|LIST|DUMP|RESTORE|STATS|KILL|HELP (Redis 7.0).
// What changes the libraries is propagated as sent (the AOF, replicas), so functions survive a
// restart; the AOF rewrite writes a FUNCTION LOAD per library (NodeScripting::snapshot_commands).

#include <fmt/format.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/commands/arguments.h"
#include "core/commands/command.h"
#include "core/commands/scripting/node_scripting.h"
#include "core/commands/scripting/script_caller.h"
#include "core/commands/scripting/script_commands.h"
#include "core/commands/server/server_family.h"
#include "core/commands/spec_builder.h"
#include "core/constants.h"
#include "core/scripting/function_dump.h"
#include "core/scripting/library_metadata.h"
#include "core/scripting/shebang.h"
#include "core/util/glob.h"

namespace ringcache::commands {
namespace {

using scripting::FunctionEngine;

// The host a library's code runs against while it loads: no commands, a time limit.
class LoadingHost final : public scripting::Host {
 public:
  explicit LoadingHost(server::Server& server)
      : server_(server), started_(server.runtime().now()) {}
  std::string call(std::span<const std::string_view>, int) override {
    return "-ERR redis.call can only be called inside a script invocation\r\n";
  }
  void log(int level, std::string_view message) override {
    server_.runtime().log(static_cast<LogLevel>(level), message);
  }
  bool interrupted() override {
    return server_.runtime().now() - started_ >=
           std::chrono::milliseconds(constants::function_load_timeout_ms);
  }
  std::string interruption() const override { return "FUNCTION LOAD timeout"; }

 private:
  server::Server& server_;
  Instant started_;
};

FunctionEngine& functions_of(CommandContext& ctx) { return node_scripting(ctx.server).functions; }

// A function always declares its flags (CommandSpec::script_may_write).
std::optional<bool> fcall_may_write(server::Server& server,
                                    std::span<const std::string_view> argv) {
  const scripting::FunctionInfo* function = node_scripting(server).functions.function(argv[1]);
  if (function == nullptr) return std::nullopt;
  return (function->flags & scripting::script_no_writes) == 0;
}

void fcall_generic(CommandContext& ctx, bool read_only_command) {
  const std::optional<int64_t> numkeys = parse_int64(ctx.argv[2]);
  if (!numkeys) return ctx.reply.error("ERR Bad number of keys provided");
  if (*numkeys < 0) return ctx.reply.error("ERR Number of keys can't be negative");
  if (*numkeys > static_cast<int64_t>(ctx.argv.size() - 3)) {
    return ctx.reply.error("ERR Number of keys can't be greater than number of args");
  }
  FunctionEngine& functions = functions_of(ctx);
  const scripting::FunctionInfo* function = functions.function(ctx.argv[1]);
  if (function == nullptr) return ctx.reply.error("ERR Function not found");
  const bool no_writes = (function->flags & scripting::script_no_writes) != 0;
  if (read_only_command && !no_writes) {
    return ctx.reply.error("ERR Can not execute a script with write flag using *_ro command.");
  }
  if ((function->flags & scripting::script_no_cluster) != 0 &&
      ctx.server.config().cluster.enabled) {
    return ctx.reply.error("ERR Can not run script on cluster, 'no-cluster' flag is set.");
  }
  if (auto refused = refusal_before_run(ctx, function->flags)) return ctx.reply.error(*refused);
  const auto count = static_cast<size_t>(*numkeys);
  server::ScriptRun run;
  run.function = true;
  run.name = function->name;
  run.command.assign(ctx.argv.begin(), ctx.argv.end());
  run.cross_slot_allowed = (function->flags & scripting::script_allow_cross_slot_keys) != 0;
  run_script(ctx, run, read_only_command || no_writes, [&](scripting::Host& host) {
    functions.call(*function, ctx.argv.subspan(3, count), ctx.argv.subspan(3 + count), host,
                   ctx.reply);
  });
}

void fcall_command(CommandContext& ctx) { fcall_generic(ctx, false); }
void fcall_ro_command(CommandContext& ctx) { fcall_generic(ctx, true); }

void function_load(CommandContext& ctx) {
  bool replace = false;
  size_t at = 2;
  for (; at + 1 < ctx.argv.size(); ++at) {
    if (!option_is(ctx.argv[at], "REPLACE")) {
      return ctx.reply.error(fmt::format("ERR Unknown option given: {}", ctx.argv[at]));
    }
    replace = true;
  }
  LoadingHost loading(ctx.server);
  Result<std::string> loaded = functions_of(ctx).load(ctx.argv[at], replace, loading);
  if (!loaded) return ctx.reply.error("ERR " + loaded.status().message());
  ctx.server.mark_dirty();
  ctx.reply.bulk(*loaded);
}

void function_delete(CommandContext& ctx) {
  if (!functions_of(ctx).remove(ctx.argv[2])) return ctx.reply.error("ERR Library not found");
  ctx.server.mark_dirty();
  ctx.reply.ok();
}

void function_flush(CommandContext& ctx) {
  if (ctx.argv.size() > 3) {
    return ctx.reply.error(fmt::format(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try FUNCTION HELP.",
        ctx.argv[1]));
  }
  if (ctx.argv.size() == 3 && !option_is(ctx.argv[2], "ASYNC") && !option_is(ctx.argv[2], "SYNC")) {
    return ctx.reply.error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
  }
  functions_of(ctx).flush();
  ctx.server.mark_dirty();
  ctx.reply.ok();
}

void reply_function(CommandContext& ctx, const scripting::FunctionInfo& function) {
  ctx.reply.map(3);
  ctx.reply.bulk("name");
  ctx.reply.bulk(function.name);
  ctx.reply.bulk("description");
  function.description ? ctx.reply.bulk(*function.description) : ctx.reply.null();
  ctx.reply.bulk("flags");
  std::vector<std::string_view> flags;
  for (const std::string_view name :
       {"no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys"}) {
    if ((function.flags & scripting::script_flag_named(name)) != 0) flags.push_back(name);
  }
  ctx.reply.set(flags.size());
  for (const std::string_view flag : flags) ctx.reply.bulk(flag);
}

void function_list(CommandContext& ctx) {
  bool with_code = false;
  std::optional<std::string_view> pattern;
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    if (option_is(ctx.argv[i], "WITHCODE") && !with_code) {
      with_code = true;
    } else if (option_is(ctx.argv[i], "LIBRARYNAME") && !pattern) {
      if (i + 1 >= ctx.argv.size()) {
        return ctx.reply.error("ERR library name argument was not given");
      }
      pattern = ctx.argv[++i];
    } else {
      return ctx.reply.error(fmt::format("ERR Unknown argument {}", ctx.argv[i]));
    }
  }
  FunctionEngine& functions = functions_of(ctx);
  std::vector<const scripting::Library*> listed;
  for (const scripting::Library* library : functions.libraries()) {
    if (!pattern || util::glob_match(*pattern, library->name, true)) listed.push_back(library);
  }
  ctx.reply.array(listed.size());
  for (const scripting::Library* library : listed) {
    ctx.reply.map(with_code ? 4 : 3);
    ctx.reply.bulk("library_name");
    ctx.reply.bulk(library->name);
    ctx.reply.bulk("engine");
    ctx.reply.bulk("LUA");
    ctx.reply.bulk("functions");
    ctx.reply.array(library->functions.size());
    for (const std::string& name : library->functions) {
      reply_function(ctx, *functions.function(name));
    }
    if (with_code) {
      ctx.reply.bulk("library_code");
      ctx.reply.bulk(library->code);
    }
  }
}

void function_dump(CommandContext& ctx) {
  std::vector<std::string_view> codes;
  for (const scripting::Library* library : functions_of(ctx).libraries()) {
    codes.push_back(library->code);
  }
  ctx.reply.bulk(scripting::dump_libraries(codes));
}

// Loads `codes` under `policy`; on any failure the libraries are put back as they were.
Status restore(CommandContext& ctx, const std::vector<std::string>& codes,
               std::string_view policy) {
  FunctionEngine& functions = functions_of(ctx);
  LoadingHost loading(ctx.server);
  std::vector<std::string> before;
  for (const scripting::Library* library : functions.libraries()) before.push_back(library->code);
  if (option_is(policy, "FLUSH")) functions.flush();
  const bool replace = option_is(policy, "REPLACE");
  Status failure;
  for (const std::string& code : codes) {
    if (!replace) {
      Result<scripting::LibraryMetadata> metadata = scripting::parse_library_metadata(code);
      if (metadata && functions.library(metadata->name) != nullptr) {
        failure = Status(Errc::invalid_argument,
                         fmt::format("Library {} already exists", metadata->name));
        break;
      }
    }
    Result<std::string> loaded = functions.load(code, replace, loading);
    if (!loaded) {
      failure = loaded.status();
      break;
    }
  }
  if (failure.is_ok()) return failure;
  functions.flush();
  for (const std::string& code : before) (void)functions.load(code, false, loading);
  return failure;
}

void function_restore(CommandContext& ctx) {
  if (ctx.argv.size() > 4) {
    return ctx.reply.error(
        "ERR unknown subcommand or wrong number of arguments for 'restore'. Try FUNCTION HELP.");
  }
  const std::string_view policy = ctx.argv.size() == 4 ? ctx.argv[3] : "APPEND";
  if (!option_is(policy, "FLUSH") && !option_is(policy, "APPEND") &&
      !option_is(policy, "REPLACE")) {
    return ctx.reply.error(
        "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
  }
  const std::optional<std::vector<std::string>> codes = scripting::read_dump(ctx.argv[2]);
  if (!codes) return ctx.reply.error("ERR payload version or checksum are wrong");
  if (Status status = restore(ctx, *codes, policy); !status.is_ok()) {
    return ctx.reply.error("ERR " + status.message());
  }
  ctx.server.mark_dirty();
  ctx.reply.ok();
}

void function_stats(CommandContext& ctx) {
  FunctionEngine& functions = functions_of(ctx);
  ctx.reply.map(2);
  ctx.reply.bulk("running_script");
  const server::ScriptRun* run = ctx.server.running_script();
  if (run == nullptr || !run->function) {
    ctx.reply.null();
  } else {
    ctx.reply.map(3);
    ctx.reply.bulk("name");
    ctx.reply.bulk(run->name);
    ctx.reply.bulk("command");
    ctx.reply.array(run->command.size());
    for (const std::string& arg : run->command) ctx.reply.bulk(arg);
    ctx.reply.bulk("duration_ms");
    const auto elapsed = ctx.server.runtime().now() - run->started;
    ctx.reply.integer(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count());
  }
  ctx.reply.bulk("engines");
  ctx.reply.map(1);
  ctx.reply.bulk("LUA");
  ctx.reply.map(2);
  ctx.reply.bulk("libraries_count");
  ctx.reply.integer(static_cast<int64_t>(functions.library_count()));
  ctx.reply.bulk("functions_count");
  ctx.reply.integer(static_cast<int64_t>(functions.function_count()));
}

void function_kill(CommandContext& ctx) {
  server::ScriptRun* run = ctx.server.running_script();
  if (run == nullptr) return ctx.reply.error("NOTBUSY No scripts in execution right now.");
  if (run->wrote) {
    return ctx.reply.error(
        "UNKILLABLE Sorry the script already executed write commands against the dataset. You "
        "can either wait the script termination or kill the server in a hard way using the "
        "SHUTDOWN NOSAVE command.");
  }
  if (!run->function) {
    return ctx.reply.error(
        "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
  }
  run->kill_requested = true;
  ctx.reply.ok();
}

void function_help(CommandContext& ctx) {
  reply_help(
      ctx, "FUNCTION",
      {"LOAD [REPLACE] <FUNCTION CODE>",
       "    Create a new library with the given library name and code.", "DELETE <LIBRARY NAME>",
       "    Delete the given library.", "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
       "    Return general information on all the libraries:", "KILL",
       "    Kill the current running function.", "STATS",
       "    Return information about the current function running.", "FLUSH [ASYNC|SYNC]",
       "    Delete all the libraries.", "DUMP",
       "    Return a serialized payload representing the current libraries.",
       "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
       "    Restore the libraries represented by the given payload."});
}

}  // namespace

void register_function_commands(CommandTable& table) {
  const SpecBuilder scripts = SpecBuilder::family("scripting", "@slow @scripting");
  constexpr uint32_t fcall_flags =
      flag_noscript | flag_skip_monitor | flag_stale | flag_no_mandatory_keys | flag_movablekeys |
      flag_runs_script;
  table.add(scripts.command("fcall", -3, fcall_command)
                .flags(fcall_flags | flag_may_replicate)
                .key_finder(script_keys)
                .script_may_write(fcall_may_write)
                .doc("Invoke a function", "7.0.0"));
  table.add(scripts.command("fcall_ro", -3, fcall_ro_command)
                .flags(fcall_flags | flag_readonly)
                .key_finder(script_keys)
                .script_may_write(fcall_may_write)
                .doc("Invoke a read-only function", "7.0.0"));
  table.add(container("function", "scripting")
                .doc("A container for function commands", "7.0.0")
                .subcommands({
                    scripts.command("function|delete", 3, function_delete)
                        .flags(flag_write | flag_noscript)
                        .doc("Delete a function by name", "7.0.0"),
                    scripts.command("function|dump", 2, function_dump)
                        .flags(flag_noscript)
                        .doc("Dump all functions into a serialized binary payload", "7.0.0"),
                    scripts.command("function|flush", -2, function_flush)
                        .flags(flag_write | flag_noscript)
                        .doc("Deleting all functions", "7.0.0"),
                    scripts.command("function|help", 2, function_help)
                        .flags(flag_loading | flag_stale)
                        .doc("Show helpful text about the different subcommands", "7.0.0"),
                    scripts.command("function|kill", 2, function_kill)
                        .flags(flag_noscript | flag_allow_busy)
                        .doc("Kill the function currently in execution.", "7.0.0"),
                    scripts.command("function|list", -2, function_list)
                        .flags(flag_noscript)
                        .doc("List information about all the functions", "7.0.0"),
                    scripts.command("function|load", -3, function_load)
                        .flags(flag_write | flag_denyoom | flag_noscript)
                        .doc("Create a function with the given arguments (name, code, description)",
                             "7.0.0"),
                    scripts.command("function|restore", -3, function_restore)
                        .flags(flag_write | flag_denyoom | flag_noscript)
                        .doc("Restore all the functions on the given payload", "7.0.0"),
                    scripts.command("function|stats", 2, function_stats)
                        .flags(flag_noscript | flag_allow_busy)
                        .doc("Return information about the function currently running (name, "
                             "description, duration)",
                             "7.0.0"),
                }));
}

}  // namespace ringcache::commands
