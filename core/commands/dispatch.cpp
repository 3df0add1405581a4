// execute(): the checks every command passes before its handler runs, in Redis 7.0's order
// (lookup, arity, authentication, memory), and the statistics kept around it.

#include "core/commands/dispatch.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/commands/acl_check.h"
#include "core/commands/client_modes.h"
#include "core/commands/cluster/cluster_routing.h"
#include "core/protocol/ascii.h"
#include "core/util/assert.h"

namespace ringcache::commands {
namespace {

// Redis quotes at most this many bytes of the name and of the arguments in the unknown-command
// error, so a huge bogus request gives a small reply.
constexpr size_t quoted_args_bytes_max = 128;

void reply_unknown_command(std::span<const std::string_view> argv, protocol::ReplyWriter& reply) {
  std::string args;
  for (size_t i = 1; i < argv.size() && args.size() < quoted_args_bytes_max; ++i) {
    std::string_view arg = argv[i].substr(0, quoted_args_bytes_max - args.size());
    fmt::format_to(std::back_inserter(args), "'{}' ", arg);
  }
  reply.error(fmt::format("ERR unknown command '{}', with args beginning with: {}",
                          argv[0].substr(0, quoted_args_bytes_max), args));
}

void reply_unknown_subcommand(std::span<const std::string_view> argv,
                              protocol::ReplyWriter& reply) {
  reply.error(fmt::format("ERR unknown subcommand '{}'. Try {} HELP.",
                          argv[1].substr(0, quoted_args_bytes_max), protocol::uppered(argv[0])));
}

// Finds the spec that will run: the command, or for a container (CONFIG, CLIENT) given a
// subcommand, that subcommand. Replies with the error and returns nullptr when there is none.
const CommandSpec* resolve(const CommandTable& table, std::span<const std::string_view> argv,
                           protocol::ReplyWriter& reply) {
  const CommandSpec* spec = find_spec(table, argv);
  if (spec == nullptr) {
    reply_unknown_command(argv, reply);
    return nullptr;
  }
  // A container still, given a subcommand: one it does not have. (COMMAND has both a handler,
  // alone, and subcommands.)
  if (!spec->subcommands.empty() && argv.size() >= 2) {
    reply_unknown_subcommand(argv, reply);
    return nullptr;
  }
  return spec;
}

// The primary's stream on a replica (and the AOF being loaded) replays writes already accepted
// elsewhere: refusals meant for clients (MISCONF, OOM, READONLY, ...) never apply to it, or the
// replica would silently fall out of step with its primary.
bool replays_accepted_writes(const server::Client& client) {
  return client.replication_master || client.aof_loader;
}

// As Redis: only while the default user is off or has a password.
bool needs_auth(server::Server& server, const server::Client& client, const CommandSpec& spec) {
  return !client.authenticated && (spec.flags & flag_no_auth) == 0 && server.acl().auth_required();
}

// Evicts as the configured policy says before any command when maxmemory is set, as Redis
// does; only commands that may grow memory are refused when that fails.
// While clients are paused the dataset holds still: no eviction (and no refusal), as in Redis.
bool memory_refused(server::Server& server, const server::Client& client, const CommandSpec& spec) {
  if (server.config().eviction.maxmemory_bytes == 0 || server.loading()) return false;
  if (replays_accepted_writes(client)) return false;
  if (server.client_pause().paused()) return false;
  const size_t client_bytes = client.query_buffer_bytes + client.output_buffer_bytes;
  const bool fits = server.keyspace().make_room(client_bytes);
  return !fits && (spec.flags & flag_denyoom) != 0;
}

// Whether a command may change the dataset: a write, or an EXEC with one queued.
bool writes(server::Server& server, const server::Client& client, const CommandSpec& spec) {
  if ((spec.flags & flag_write) != 0) return true;
  if ((spec.flags & flag_runs_transaction) == 0) return false;
  return std::any_of(client.queued.begin(), client.queued.end(), [&](const auto& argv) {
    const CommandSpec* queued = server.commands().find(argv.front());
    return queued != nullptr && (queued->flags & flag_write) != 0;
  });
}

// Replication's refusals, in Redis' words and order: too few good replicas on a primary with
// min-replicas-to-write; on a replica, writes (replica-read-only) and, while its link is down
// with replica-serve-stale-data no, everything not flagged stale. The primary's own stream
// (the replica's link client) is never refused.
std::optional<std::string> replication_refusal(server::Server& server,
                                               const server::Client& client,
                                               const CommandSpec& spec) {
  const server::ReplicationControl* replication = server.replication();
  if (replication == nullptr || replays_accepted_writes(client)) return {};
  const server::ReplicationOptions& options = server.config().replication;
  if (!replication->is_replica()) {
    if (options.min_replicas_to_write > 0 && writes(server, client, spec) &&
        replication->good_replicas() < static_cast<size_t>(options.min_replicas_to_write)) {
      return "NOREPLICAS Not enough good replicas to write.";
    }
    return {};
  }
  if (options.replica_read_only && writes(server, client, spec)) {
    return "READONLY You can't write against a read only replica.";
  }
  if (!options.replica_serve_stale_data && !replication->link_up() &&
      (spec.flags & flag_stale) == 0) {
    return "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.";
  }
  return {};
}

// While a script that has run past busy-reply-threshold lets the node serve other clients,
// only commands flagged allow_busy run (Redis' words name the command that stops the script).
std::optional<std::string> busy_refusal(server::Server& server, const server::Client& client,
                                        const CommandSpec& spec) {
  const server::ScriptRun* script = server.running_script();
  if (script == nullptr || !script->timed_out || &client == script->script_client ||
      (spec.flags & flag_allow_busy) != 0) {
    return {};
  }
  return fmt::format(
      "BUSY Redis is busy running a script. You can only call {} or SHUTDOWN NOSAVE.",
      script->function ? "FUNCTION KILL" : "SCRIPT KILL");
}

// Checks that refuse a resolved command before it runs; replies and returns false on refusal.
bool checks_pass(server::Server& server, server::Client& client, const CommandSpec& spec,
                 std::span<const std::string_view> argv, protocol::ReplyWriter& reply) {
  if (!arity_ok(spec, argv.size())) {
    refuse_command(server, client, spec, reply,
                   fmt::format("ERR wrong number of arguments for '{}' command", spec.name));
    return false;
  }
  if (needs_auth(server, client, spec)) {
    refuse_command(server, client, spec, reply, "NOAUTH Authentication required.");
    return false;
  }
  // The default user with every permission costs this one test.
  if (!acl_unrestricted(client) && !acl_admits(server, client, spec, argv, reply)) return false;
  // The primary's stream is never refused -BUSY (the replica would lose writes): it waits for
  // the script to end, as Redis leaves it unread meanwhile.
  while (client.replication_master && server.running_script() != nullptr &&
         server.running_script()->timed_out) {
    server.runtime().yield();
  }
  if (auto refusal = busy_refusal(server, client, spec)) {
    refuse_command(server, client, spec, reply, *refusal);
    return false;
  }
  // Redis redirects before it looks at memory: a command for another node never evicts here.
  if (server.config().cluster.enabled && !cluster_admits(server, client, spec, argv, reply)) {
    return false;
  }
  if (memory_refused(server, client, spec)) {
    refuse_command(server, client, spec, reply,
                   "OOM command not allowed when used memory > 'maxmemory'.");
    return false;
  }
  // Redis refuses writes (and PING, flagged) while the AOF cannot be written, rather than accept
  // what it could lose. Only the AOF refuses: without sinks no command pays for the check.
  if (server.has_propagation_sinks() && !replays_accepted_writes(client) &&
      (spec.flags & (flag_write | flag_misconf_refused)) != 0) {
    if (auto refusal = server.write_refusal()) {
      refuse_command(server, client, spec, reply, "MISCONF " + *refusal);
      return false;
    }
  }
  if (auto refusal = replication_refusal(server, client, spec)) {
    refuse_command(server, client, spec, reply, *refusal);
    return false;
  }
  if (server.loading() && !client.aof_loader && (spec.flags & flag_loading) == 0) {
    refuse_command(server, client, spec, reply, "LOADING Redis is loading the dataset in memory");
    return false;
  }
  return true;
}

// checks_pass, with what they push to the client (an evicted key's invalidation) ahead of its
// reply.
bool admitted(server::Server& server, server::Client& client, const CommandSpec& spec,
              std::span<const std::string_view> argv, protocol::ReplyWriter& reply) {
  const auto outer = server.push_delivery().enter_admission(client, reply);
  const bool passed = checks_pass(server, client, spec, argv, reply);
  server.push_delivery().leave(outer);
  return passed;
}

// Whether the command may change the dataset or be propagated: its flags say so, or for a
// script that declares its flags (a shebang, a function), those flags do, as Redis 7.0 has it.
bool may_write(server::Server& server, const CommandSpec& spec,
               std::span<const std::string_view> argv) {
  if (spec.script_may_write != nullptr) {
    if (const std::optional<bool> declared = spec.script_may_write(server, argv)) return *declared;
  }
  return (spec.flags & (flag_write | flag_may_replicate)) != 0;
}

// Whether a pause of writes holds the command back: it may write, or it is an EXEC with such a
// command queued.
bool pausable_as_write(server::Server& server, const server::Client& client,
                       const CommandSpec& spec, std::span<const std::string_view> argv) {
  if (may_write(server, spec, argv)) return true;
  if ((spec.flags & flag_runs_transaction) == 0) return false;
  return std::any_of(client.queued.begin(), client.queued.end(), [&](const auto& queued_argv) {
    const std::vector<std::string_view> views(queued_argv.begin(), queued_argv.end());
    const CommandSpec* queued = find_spec(server.commands(), views);
    return queued != nullptr && may_write(server, *queued, views);
  });
}

// Waits while the node is paused for this command (CLIENT PAUSE, DEBUG SLEEP, a manual
// failover), as Redis postpones it; false when the client disconnected meanwhile, or when the
// command, admitted again after the wait, is refused now (the node may have become a replica
// meanwhile: a write must then be redirected, not run). EXEC's queued commands and the AOF
// loader never wait: what they run was admitted already.
bool paused_turn(server::Server& server, server::Client& client, const CommandSpec& spec,
                 std::span<const std::string_view> argv, protocol::ReplyWriter& reply) {
  if (client.in_exec || client.aof_loader || client.replication_master ||
      !server.client_pause().paused()) {
    return true;
  }
  using Turn = server::ClientPause::Turn;
  const Turn turn =
      server.client_pause().wait_turn(client, pausable_as_write(server, client, spec, argv));
  if (turn == Turn::client_left) return false;
  if (turn == Turn::at_once) return true;
  // Other clients moved the time on meanwhile.
  server.keyspace().set_now_ms(server.runtime().wall_time_ms());
  if (admitted(server, client, spec, argv, reply)) return true;
  ++spec.stats.rejected_calls;
  return false;
}

// Shows a command that ran to MONITOR clients, after it ran as Redis 7.0 does (EXEC after its
// queued commands); admin commands are never shown, nor what the AOF loader replays.
void feed_monitors(server::Server& server, const server::Client& client, const CommandSpec& spec,
                   std::span<const std::string_view> argv) {
  if (server.monitors().empty() || client.aof_loader) return;
  if ((spec.flags & (flag_admin | flag_skip_monitor)) != 0) return;
  server.monitors().feed(client, spec, argv, server.runtime().wall_time_us(),
                         server.push_delivery());
}

// Hands what a write command did to the propagation sinks: the command as sent, or what it
// stated instead (Propagation::replace_with).
void propagate_write(server::Server& server, std::span<const std::string_view> argv) {
  if (!server.has_propagation_sinks()) return;
  const server::Propagation& propagation = server.propagation();
  if (!propagation.replaced()) {
    const std::array<server::ArgvView, 1> unit{argv};
    server.propagate(unit);
    return;
  }
  std::vector<std::vector<std::string_view>> views;
  views.reserve(propagation.commands().size());
  for (const auto& command : propagation.commands()) views.emplace_back(command.begin(), command.end());
  const std::vector<server::ArgvView> unit(views.begin(), views.end());
  server.propagate(unit);
}

// Serves the clients blocked on keys that became ready; each served client's work (recorded by
// its serve function with Propagation::replace_with) is propagated as a unit of its own.
void serve_blocked_clients(server::Server& server) {
  server.blocked_clients().set_served_listener([&server] {
    const server::Propagation& propagation = server.propagation();
    if (propagation.replaced() && !propagation.commands().empty()) propagate_write(server, {});
  });
  server.blocked_clients().serve_ready_keys();
}

}  // namespace

const CommandSpec* find_spec(const CommandTable& table, std::span<const std::string_view> argv) {
  const CommandSpec* spec = table.find(argv[0]);
  if (spec == nullptr || spec->subcommands.empty() || argv.size() < 2) return spec;
  const CommandSpec* sub = table.find_subcommand(*spec, argv[1]);
  return sub != nullptr ? sub : spec;
}

bool arity_ok(const CommandSpec& spec, size_t argc) {
  const auto count = static_cast<int64_t>(argc);
  return spec.arity > 0 ? count == spec.arity : count >= -spec.arity;
}

void execute(server::Server& server, server::Client& client, std::span<const std::string_view> argv,
             protocol::ReplyWriter& reply, CommandTime time) {
  RING_ASSERT_MSG(!argv.empty(), "a command has a name");
  // One time for the whole command, as Redis fixes it, so a key cannot expire halfway.
  if (time == CommandTime::read_clock) {
    server.keyspace().set_now_ms(server.runtime().wall_time_ms());
  }
  const uint64_t errors_before = reply.errors_written();
  const uint64_t stat_errors_before = reply.errors_for_stats();
  // A replica applies its primary's commands seeing keys as the primary does: an expired key it
  // hides from its own clients is still there for them (ExpiryMode).
  std::optional<store::ScopedExpiryMode> primary_view;
  if (client.replication_master &&
      server.keyspace().expiry_mode() == store::ExpiryMode::hide_expired) {
    primary_view.emplace(server.keyspace(), store::ExpiryMode::keep_expired);
  }

  const CommandSpec* spec = resolve(server.commands(), argv, reply);
  if (spec != nullptr) {
    client.last_command = spec->name;
    if (!admitted(server, client, *spec, argv, reply)) {
      ++spec->stats.rejected_calls;
    } else if (!paused_turn(server, client, *spec, argv, reply)) {
      // The client left while its command waited for a pause to end, or it is refused now.
    } else if (!diverted(server, client, *spec, argv, reply)) {
      RING_ASSERT_MSG(spec->handler != nullptr, "containers have arity <= -2");
      // While clients are paused the dataset holds still, as in Redis: an expired key reads as
      // absent but stays, deleted once the pause is over (or by a new primary's stream).
      std::optional<store::ScopedExpiryMode> paused_view;
      if (!primary_view && server.client_pause().paused() &&
          server.keyspace().expiry_mode() == store::ExpiryMode::delete_expired) {
        paused_view.emplace(server.keyspace(), store::ExpiryMode::hide_expired);
      }
      CommandContext context{server, client, argv, reply};
      const Instant started = server.runtime().now();
      client.blocked_wait = Nanos(0);
      client.wait_timed_out = false;
      if (server.before_write() && (spec->flags & flag_write) != 0) {
        for (const int position : CommandTable::key_positions(*spec, argv)) {
          server.before_write()(argv[static_cast<size_t>(position)]);
        }
      }
      // EXEC and scripts run their commands through execute(), each propagating itself:
      // collected here, they reach the AOF and replicas as one MULTI ... EXEC unit.
      const bool exec = (spec->flags & (flag_runs_transaction | flag_runs_script)) != 0;
      if (exec) server.begin_transaction();
      server.propagation().begin_command();
      const uint64_t dirty_before = server.dirty();
      const auto outer = server.push_delivery().enter(client, reply);
      spec->handler(context);
      server.push_delivery().leave(outer);
      if (exec) {
        server.end_transaction();
      } else if (server.dirty() != dirty_before) {
        propagate_write(server, argv);
      }
      // WAIT waits for replicas to reach what this client wrote (EXEC's unit included).
      if (server.dirty() != dirty_before && server.replication() != nullptr) {
        client.repl_write_offset = server.replication()->offset();
      }
      command_ran(server, client, *spec, argv);
      feed_monitors(server, client, *spec, argv);
      if (!client.wait_timed_out) {
        server.command_finished(*spec, client, argv,
                                server.runtime().now() - started - client.blocked_wait);
      }
      // Like Redis, only commands that ran count as processed.
      ++spec->stats.calls;
      ++server.stats().total_commands_processed;
      if (reply.errors_written() != errors_before) ++spec->stats.failed_calls;
      // Clients blocked on keys this command made ready are served before anything else runs
      // (for EXEC's queued commands: once the whole transaction is over).
      if (!client.in_exec && server.blocked_clients().has_ready_keys()) {
        serve_blocked_clients(server);
      }
      if (!client.in_exec) server.tracking().flush_broadcasts();
    }
  } else {
    mark_transaction_failed(client);
  }
  server.stats().total_error_replies += reply.errors_for_stats() - stat_errors_before;
  server.count_error_replies(reply.take_error_words());
}

void execute_preset(server::Server& server, server::Client& client,
                    std::span<const std::string_view> argv, protocol::ReplyWriter& reply) {
  execute(server, client, argv, reply, CommandTime::preset);
}

}  // namespace ringcache::commands
