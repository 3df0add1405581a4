// The replication family: REPLICAOF (and SLAVEOF), FAILOVER, ROLE, WAIT, and what a replica
// sends its primary: PSYNC (and SYNC), REPLCONF. The machinery behind them is core/replication, reached
// through server::ReplicationControl; docs/replication.md describes it.

#include <fmt/format.h>

#include <chrono>

#include "core/commands/arguments.h"
#include "core/commands/blocking_command.h"
#include "core/commands/command.h"
#include "core/commands/spec_builder.h"
#include "core/cluster/cluster_state.h"
#include "core/server/server.h"

namespace ringcache::commands {
namespace {

void replicaof_command(CommandContext& ctx) {
  server::ReplicationControl* replication = ctx.server.replication();
  if (ctx.server.config().cluster.enabled) {
    return ctx.reply.error("ERR REPLICAOF not allowed in cluster mode.");
  }
  if (replication == nullptr) return ctx.reply.error("ERR replication is not available here");
  if (option_is(ctx.argv[1], "no") && option_is(ctx.argv[2], "one")) {
    replication->stop_following();
    return ctx.reply.ok();
  }
  const auto port = parse_int64(ctx.argv[2]);
  if (!port || *port < 0 || *port > 65535) return ctx.reply.error("ERR Invalid master port");
  auto followed = replication->follow(std::string(ctx.argv[1]), static_cast<uint16_t>(*port));
  if (!followed) return ctx.reply.error(followed.status().message());
  ctx.reply.simple(followed.value());
}

void role_command(CommandContext& ctx) {
  if (const server::ReplicationControl* replication = ctx.server.replication()) {
    return replication->write_role(ctx.reply);
  }
  ctx.reply.array(3);
  ctx.reply.bulk("master");
  ctx.reply.integer(0);
  ctx.reply.array(0);
}

// Replies how many replicas acknowledged the client's last write; waits for `wanted` of them
// until the deadline (none: forever) unless inside MULTI, as Redis.
void wait_command(CommandContext& ctx) {
  server::ReplicationControl* replication = ctx.server.replication();
  if (ctx.server.is_replica()) {
    return ctx.reply.error(
        "ERR WAIT cannot be used with replica instances. Please also note "
        "that writes to replicas are just local and are not propagated.");
  }
  const auto wanted = int64_or_reply(ctx, ctx.argv[1]);
  if (!wanted) return;
  const auto timeout_ms = parse_int64(ctx.argv[2]);
  if (!timeout_ms) return ctx.reply.error("ERR timeout is not an integer or out of range");
  if (*timeout_ms < 0) return ctx.reply.error("ERR timeout is negative");
  Runtime& runtime = ctx.server.runtime();
  std::optional<Instant> deadline;
  if (*timeout_ms > 0) deadline = runtime.now() + std::chrono::milliseconds(*timeout_ms);
  const uint64_t target = ctx.client.repl_write_offset;
  const auto acked = [&] { return replication ? replication->replicas_acked(target) : 0; };
  while (static_cast<int64_t>(acked()) < *wanted && may_block(ctx) &&
         (!deadline || runtime.now() < *deadline)) {
    if (replication) replication->watch_acks(ctx.client.id);
    const server::WaitEnd end = ctx.server.blocked_clients().wait_for_wake(ctx.client, deadline);
    if (replication) replication->unwatch_acks(ctx.client.id);
    ctx.server.keyspace().set_now_ms(runtime.wall_time_ms());
    if (end == server::WaitEnd::disconnected) return;  // nobody to answer
    if (end != server::WaitEnd::served) break;         // timed out, or CLIENT UNBLOCK
  }
  ctx.reply.integer(static_cast<int64_t>(acked()));
}

// PSYNC replid offset / SYNC: the reply (+FULLRESYNC or +CONTINUE, then the stream) comes from
// the node's feeder, which takes the connection over once this command returns.
void request_sync(CommandContext& ctx, std::string_view replid, int64_t offset) {
  if (ctx.server.replication() == nullptr) {
    return ctx.reply.error("ERR replication is not available here");
  }
  if (ctx.server.is_replica()) {
    return ctx.reply.error("ERR a ringcache replica does not serve replicas of its own");
  }
  if (ctx.server.cluster() != nullptr && ctx.server.cluster()->stepping_down()) {
    return ctx.reply.error("ERR this primary restarted without its data and hands its shard over");
  }
  ctx.client.psync_requested = true;
  ctx.client.psync_replid = std::string(replid);
  ctx.client.psync_offset = offset;
}

// PSYNC replid offset FAILOVER: this node's primary hands over to it (FAILOVER). It must be
// the history this node follows; the node promotes itself (the old id kept as the second), so
// the request resumes as a partial resync.
bool take_over_for_failover(CommandContext& ctx) {
  server::ReplicationControl* replication = ctx.server.replication();
  if (ctx.server.config().cluster.enabled) {
    ctx.reply.error("ERR FAILOVER not allowed in cluster mode.");
    return false;
  }
  if (replication == nullptr || !replication->is_replica()) {
    ctx.reply.error("ERR PSYNC FAILOVER can't be sent to a master.");
    return false;
  }
  if (ctx.argv[1] != replication->history_id()) {
    ctx.reply.error("ERR PSYNC FAILOVER replid must match my replid.");
    return false;
  }
  ctx.server.runtime().log(LogLevel::notice,
                           fmt::format("Failover request received for replid {}.", ctx.argv[1]));
  replication->stop_following();
  return true;
}

void psync_command(CommandContext& ctx) {
  const auto offset = int64_or_reply(ctx, ctx.argv[2]);
  if (!offset) return;
  if (ctx.argv.size() > 4 || (ctx.argv.size() == 4 && !option_is(ctx.argv[3], "failover"))) {
    return ctx.reply.error(errors::syntax);
  }
  if (ctx.argv.size() == 4 && !take_over_for_failover(ctx)) return;
  request_sync(ctx, ctx.argv[1], *offset);
}

// FAILOVER [TO host port [FORCE]] [TIMEOUT ms] | FAILOVER ABORT: this primary hands over to a
// replica (docs/replication.md, "FAILOVER"). Options in any order, each once, as Redis parses.
void failover_command(CommandContext& ctx) {
  if (ctx.server.config().cluster.enabled) {
    return ctx.reply.error("ERR FAILOVER not allowed in cluster mode.");
  }
  server::ReplicationControl* replication = ctx.server.replication();
  if (replication == nullptr) return ctx.reply.error("ERR replication is not available here");
  if (ctx.argv.size() == 2 && option_is(ctx.argv[1], "abort")) {
    if (Status aborted = replication->abort_failover(); !aborted) {
      return ctx.reply.error("ERR " + aborted.message());
    }
    return ctx.reply.ok();
  }
  server::FailoverRequest request;
  bool named = false;
  for (size_t i = 1; i < ctx.argv.size(); ++i) {
    const std::string_view word = ctx.argv[i];
    if (option_is(word, "timeout") && i + 1 < ctx.argv.size() && request.timeout_ms == 0) {
      const auto timeout = int64_or_reply(ctx, ctx.argv[i + 1]);
      if (!timeout) return;
      if (*timeout <= 0) return ctx.reply.error("ERR FAILOVER timeout must be greater than 0");
      request.timeout_ms = *timeout;
      i += 1;
    } else if (option_is(word, "to") && i + 2 < ctx.argv.size() && !named) {
      const auto port = int64_or_reply(ctx, ctx.argv[i + 2]);
      if (!port) return;
      request.host = std::string(ctx.argv[i + 1]);
      request.port = *port >= 0 && *port <= 65535 ? static_cast<uint16_t>(*port) : 0;
      named = true;
      i += 2;
    } else if (option_is(word, "force") && !request.force) {
      request.force = true;
    } else {
      return ctx.reply.error(errors::syntax);
    }
  }
  if (Status started = replication->start_failover(request); !started) {
    return ctx.reply.error("ERR " + started.message());
  }
  ctx.reply.ok();
}

void sync_command(CommandContext& ctx) { request_sync(ctx, "?", -1); }

// REPLCONF option value ...: what a replica tells its primary during the handshake, and its
// acknowledgements (ACK, which gets no reply).
void replconf_command(CommandContext& ctx) {
  if (ctx.argv.size() % 2 == 0) return ctx.reply.error("ERR syntax error");
  for (size_t i = 1; i + 1 < ctx.argv.size(); i += 2) {
    const std::string_view option = ctx.argv[i];
    const std::string_view value = ctx.argv[i + 1];
    if (option_is(option, "ack")) {
      const auto offset = parse_int64(value);
      if (offset && *offset >= 0 && ctx.server.replication() != nullptr) {
        ctx.server.replication()->replica_acked(ctx.client.id, static_cast<uint64_t>(*offset));
      }
      return;  // no reply, as Redis
    }
    if (option_is(option, "listening-port")) {
      const auto port = parse_int64(value);
      if (!port || *port < 0 || *port > 65535) return ctx.reply.error("ERR Invalid port");
      ctx.client.replica_listening_port = static_cast<uint16_t>(*port);
    } else if (!option_is(option, "capa") && !option_is(option, "ip-address") &&
               !option_is(option, "getack") && !option_is(option, "rdb-only") &&
               !option_is(option, "rdb-filter-only")) {
      return ctx.reply.error(fmt::format("ERR Unrecognized REPLCONF option: {}", option));
    }
  }
  ctx.reply.ok();
}

}  // namespace

void register_replication_commands(CommandTable& table) {
  const SpecBuilder replication = SpecBuilder::family("server", "@admin @slow @dangerous");
  constexpr uint32_t admin = flag_admin | flag_noscript | flag_stale;
  const CommandSpec specs[] = {
      replication.command("replicaof", 3, replicaof_command)
          .flags(admin)
          .doc("Configure a server as replica of another, or promote it to a master", "5.0.0"),
      replication.command("slaveof", 3, replicaof_command)
          .flags(admin)
          .doc("Configure a server as replica of another, or promote it to a master", "1.0.0"),
      replication.command("failover", -1, failover_command)
          .flags(admin)
          .doc("Start a coordinated failover between this server and one of its replicas.",
               "6.2.0"),
      replication.command("role", 1, role_command)
          .flags(flag_noscript | flag_loading | flag_stale | flag_fast)
          .acl("@admin @fast @dangerous")
          .doc("Return the role of the instance in the context of replication", "2.8.12"),
      replication.command("wait", 3, wait_command)
          .flags(flag_noscript)
          .acl("@slow @connection")
          .doc("Wait for the synchronous replication of all the write commands sent in the "
               "context of the current connection",
               "3.0.0"),
      replication.command("psync", -3, psync_command)
          .flags(admin | flag_no_multi)
          .doc("Internal command used for replication", "2.8.0"),
      replication.command("sync", 1, sync_command)
          .flags(admin | flag_no_multi)
          .doc("Internal command used for replication", "1.0.0"),
      replication.command("replconf", -1, replconf_command)
          .flags(flag_admin | flag_noscript | flag_loading | flag_stale | flag_allow_busy)
          .doc("An internal command for configuring the replication stream", "3.0.0"),
  };
  for (const CommandSpec& spec : specs) table.add(spec);
}

}  // namespace ringcache::commands
