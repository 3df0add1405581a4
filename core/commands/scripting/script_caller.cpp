#include "core/commands/scripting/script_caller.h"

#include <fmt/format.h>

#include <chrono>
#include <optional>

#include "core/commands/acl_check.h"
#include "core/commands/client_modes.h"
#include "core/commands/cluster/cluster_routing.h"
#include "core/commands/command.h"
#include "core/commands/dispatch.h"
#include "core/commands/scripting/node_scripting.h"
#include "core/protocol/integer.h"
#include "core/scripting/shebang.h"

namespace ringcache::commands {
namespace {

// A command the script may not run: the error reply redis.call gets, counted as Redis counts
// it (an error reply in INFO errorstats, a rejected call of the command), so that the script
// passing it on is not counted again.
std::string refused(server::Server& server, const CommandSpec* spec, std::string_view message) {
  ++server.stats().total_error_replies;
  server.count_error_replies({std::string(message.substr(0, message.find(' ')))});
  if (spec != nullptr) ++spec->stats.rejected_calls;
  return fmt::format("-{}\r\n", message);
}

std::string_view script_denial(server::acl::Denial denial) {
  using server::acl::Denial;
  switch (denial) {
    case Denial::key:
      return "ERR The user executing the script can't access at least one of the keys mentioned "
             "in the command";
    case Denial::channel:
      return "ERR The user executing the script can't publish to the channel mentioned in the "
             "command";
    default:
      return "ERR The user executing the script can't run this command or subcommand";
  }
}

}  // namespace

ScriptCaller::ScriptCaller(CommandContext& ctx, server::Client& script_client,
                           server::ScriptRun& run, bool read_only)
    : server_(ctx.server),
      caller_(ctx),
      client_(script_client),
      run_(run),
      read_only_(read_only) {}

std::string ScriptCaller::call(std::span<const std::string_view> argv, int resp_version) {
  const CommandSpec* spec = find_spec(server_.commands(), argv);
  if (spec == nullptr) {
    return refused(server_, nullptr, "ERR Unknown Redis command called from script");
  }
  if (!arity_ok(*spec, argv.size())) {
    return refused(server_, spec, "ERR Wrong number of args calling Redis command from script");
  }
  if ((spec->flags & flag_noscript) != 0) {
    return refused(server_, spec, "ERR This Redis command is not allowed from script");
  }
  // The script acts as its caller's user: what the caller may not run, neither may its script.
  client_.user = caller_.client.user;
  const server::acl::Verdict verdict =
      acl_check(server_, client_, *spec, argv, AclContext::lua);
  if (!verdict.allowed()) return refused(server_, spec, script_denial(verdict.denial));
  // A may-replicate command (PUBLISH, PFCOUNT) counts as a write: it reaches the replicas.
  const bool writes = (spec->flags & (flag_write | flag_may_replicate)) != 0;
  if (writes && read_only_) {
    return refused(server_, spec, "ERR Write commands are not allowed from read-only scripts.");
  }
  const server::Client& caller = caller_.client;
  if (server_.config().cluster.enabled && !caller.replication_master && !caller.aof_loader) {
    if (auto refusal = script_command_refusal(server_, caller, *spec, argv, run_)) {
      return refused(server_, spec, *refusal);
    }
    client_.readonly = caller.readonly;  // so the dispatch's own routing check agrees
  }
  client_.db = caller.db;
  client_.resp_version = resp_version;
  std::string out;
  protocol::ReplyWriter writer(out, resp_version);
  const uint64_t dirty_before = server_.dirty();
  execute(server_, client_, argv, writer, CommandTime::preset);
  if (server_.dirty() != dirty_before) run_.wrote = true;
  if ((spec->flags & flag_readonly) != 0 && !run_.read) {
    // From its first read on, the caller tracks the keys the script declared: later writes of
    // the script to them reach it too (unless NOLOOP), as in Redis 7.0.
    run_.read = true;
    if (const CommandSpec* outer = server_.commands().find(caller_.argv[0])) {
      remember_read_keys(server_, caller_.client, *outer, caller_.argv);
    }
  }
  return out;
}

std::optional<bool> ScriptCaller::acl_allows(std::span<const std::string_view> argv) {
  const CommandSpec* spec = find_spec(server_.commands(), argv);
  if (spec == nullptr || (!spec->subcommands.empty() && argv.size() >= 2)) return std::nullopt;
  return caller_.client.user == nullptr ||
         server::acl::check_command(*caller_.client.user, *spec, argv).allowed();
}

void ScriptCaller::log(int level, std::string_view message) {
  server_.runtime().log(static_cast<LogLevel>(level), message);
}

std::string ScriptCaller::interruption() const {
  return run_.function ? "Script killed by user with FUNCTION KILL..."
                       : "Script killed by user with SCRIPT KILL...";
}

bool ScriptCaller::interrupted() {
  if (run_.kill_requested || pending_) return true;
  if (!run_.timed_out) {
    const int64_t threshold_ms = server_.config().busy_reply_threshold_ms;
    if (threshold_ms == 0) return false;
    if (server_.runtime().now() - run_.started < std::chrono::milliseconds(threshold_ms)) {
      return false;
    }
    run_.timed_out = true;
    server_.runtime().log(
        LogLevel::warning,
        fmt::format("Slow script detected: still in execution after {} milliseconds. You can try "
                    "killing the script using the {} command.",
                    threshold_ms, run_.function ? "FUNCTION KILL" : "SCRIPT KILL"));
  }
  // Past the limit the node serves other clients between two checks (-BUSY for most commands),
  // so SCRIPT KILL can reach it. The script's time stands still for its keys meanwhile.
  const int64_t now_ms = server_.keyspace().now_ms();
  try {
    server_.runtime().yield();
  } catch (...) {
    pending_ = std::current_exception();
    return true;
  }
  server_.keyspace().set_now_ms(now_ms);
  return run_.kill_requested;
}

void run_script(CommandContext& ctx, server::ScriptRun& run, bool read_only,
                const std::function<void(scripting::Host&)>& body) {
  NodeScripting& scripting = node_scripting(ctx.server);
  run.script_client = &scripting.client;
  run.caller = &ctx.client;
  run.started = ctx.server.runtime().now();
  ScriptCaller caller(ctx, scripting.client, run, read_only);
  struct Running {
    server::Server& server;
    ~Running() { server.set_running_script(nullptr); }
  } running{ctx.server};
  ctx.server.set_running_script(&run);
  // EVAL and FCALL are skip_monitor for dispatch: Redis shows them before the commands they run.
  const CommandSpec* spec = ctx.server.commands().find(ctx.argv[0]);
  if (spec != nullptr && ctx.server.config().cluster.enabled) {
    run.slot = declared_slot(*spec, ctx.argv);
  }
  if (!ctx.server.monitors().empty() && spec != nullptr && !ctx.client.aof_loader) {
    ctx.server.monitors().feed(ctx.client, *spec, ctx.argv, ctx.server.runtime().wall_time_us(),
                               ctx.server.push_delivery());
  }
  body(caller);
  caller.rethrow_pending();
}

std::optional<std::string> refusal_before_run(CommandContext& ctx, uint32_t script_flags) {
  server::Server& server = ctx.server;
  const server::ReplicationControl* replication = server.replication();
  const server::ReplicationOptions& options = server.config().replication;
  const bool master_link = ctx.client.replication_master || ctx.client.aof_loader;
  if (replication != nullptr && replication->is_replica() && !master_link &&
      !options.replica_serve_stale_data && !replication->link_up() &&
      (script_flags & scripting::script_allow_stale) == 0) {
    return "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
  }
  if ((script_flags & scripting::script_no_writes) != 0 || master_link) return std::nullopt;
  if (replication != nullptr && replication->is_replica() && options.replica_read_only) {
    return "READONLY You can't write against a read only replica.";
  }
  if ((script_flags & scripting::script_allow_oom) == 0 &&
      server.config().eviction.maxmemory_bytes != 0 && !server.loading() &&
      !server.keyspace().make_room(0)) {
    return "OOM command not allowed when used memory > 'maxmemory'.";
  }
  if (replication != nullptr && !replication->is_replica() && options.min_replicas_to_write > 0 &&
      replication->good_replicas() < static_cast<size_t>(options.min_replicas_to_write)) {
    return "NOREPLICAS Not enough good replicas to write.";
  }
  return std::nullopt;
}

std::vector<int> script_keys(std::span<const std::string_view> argv) {
  std::vector<int> keys;
  if (argv.size() < 3) return keys;
  const std::optional<int64_t> numkeys = protocol::parse_int64(argv[2]);
  // More keys than arguments: the call names no key at all (it fails when run), as Redis' key
  // spec reads it (ACL checks none).
  if (!numkeys || *numkeys < 1 || *numkeys > static_cast<int64_t>(argv.size()) - 3) return keys;
  for (int64_t i = 0; i < *numkeys; ++i) {
    keys.push_back(static_cast<int>(3 + i));
  }
  return keys;
}

}  // namespace ringcache::commands
