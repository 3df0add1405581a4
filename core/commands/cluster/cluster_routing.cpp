#include "core/commands/cluster/cluster_routing.h"

#include <fmt/format.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/cluster/cluster_state.h"
#include "core/cluster/key_slot.h"
#include "core/commands/client_modes.h"

namespace ringcache::commands {
namespace {

constexpr std::string_view cross_slot_error = "CROSSSLOT Keys in request don't hash to the same slot";
constexpr std::string_view cluster_down_error = "CLUSTERDOWN The cluster is down";
constexpr std::string_view slot_unserved_error = "CLUSTERDOWN Hash slot not served";

// The host part of "host:port" (a client's local address, when the node announces no ip).
std::string_view host_of(std::string_view address) {
  const size_t colon = address.rfind(':');
  return colon == std::string_view::npos ? address : address.substr(0, colon);
}

constexpr std::string_view try_again_error = "TRYAGAIN Multiple keys request during rehashing of slot";

// The keys of the call, and the slot they all hash to: nullopt without keys, -1 when they differ.
struct CallKeys {
  std::vector<std::string_view> keys;
  std::optional<int32_t> slot;
};

void add_keys(CallKeys& call, const CommandSpec& spec, std::span<const std::string_view> argv) {
  for (const int position : CommandTable::key_positions(spec, argv)) {
    const std::string_view key = argv[static_cast<size_t>(position)];
    const int32_t key_slot = cluster::key_slot(key);
    if (call.slot && *call.slot != key_slot) call.slot = -1;
    if (!call.slot) call.slot = key_slot;
    call.keys.push_back(key);
  }
}

// What routing decided for a call: run it here, refuse it (with the error), or wait for the
// migration batch holding one of its keys, then decide again.
struct Decision {
  enum class Kind { serve, refuse, wait } kind = Kind::serve;
  std::string error;
};

Decision refuse(std::string error) { return Decision{Decision::Kind::refuse, std::move(error)}; }

std::string redirect(std::string_view word, cluster::Slot slot, const cluster::ShardAddress& to,
                     const server::Client& client) {
  const std::string_view ip = to.ip.empty() ? host_of(client.local_address) : to.ip;
  return fmt::format("{} {} {}:{}", word, slot, ip, to.member->client_port);
}

// A slot this node serves while its keys stream to `target` (Redis' rule): the call runs here
// when every key is still here, is sent to the target (-ASK) when none is, and is retried
// later (-TRYAGAIN) when some are; keys in the batch in flight make it wait.
Decision migrating_decision(server::Server& server, const server::Client& client,
                            cluster::Slot slot, const cluster::ShardAddress& target,
                            const std::vector<std::string_view>& keys) {
  cluster::MigrationState& migration = server.cluster()->migration();
  size_t present = 0;
  for (const std::string_view key : keys) {
    if (migration.locked(key)) {
      if (migration.wait_queue() == nullptr) return refuse(std::string(try_again_error));
      return Decision{Decision::Kind::wait, {}};
    }
    if (server.keyspace().peek(key) != nullptr) ++present;
  }
  if (present == keys.size()) return Decision{};
  if (present == 0) return refuse(redirect("ASK", slot, target, client));
  return refuse(std::string(try_again_error));
}

// Where a call on `slot` with `keys` runs; `reads_only`: it changes nothing (a replica serves
// such calls to READONLY clients).
Decision decide(server::Server& server, const server::Client& client, cluster::Slot slot,
                const std::vector<std::string_view>& keys, bool reads_only) {
  const cluster::ClusterState* cluster = server.cluster();
  if (cluster == nullptr || cluster->slot_map() == nullptr) {
    return refuse(std::string(slot_unserved_error));
  }
  const int64_t now_ms = cluster_now_ms(server);
  if (cluster->owns(slot)) {
    if (!cluster->serving(now_ms)) return refuse(std::string(cluster_down_error));
    const std::optional<cluster::ShardAddress> target = cluster->migrating_to(slot);
    if (!target || keys.empty()) return Decision{};
    return migrating_decision(server, client, slot, *target, keys);
  }
  // A replica serves its shard's reads to clients that asked (READONLY), as Redis' replicas,
  // while it is in contact with a majority of primaries (else its data may be stale).
  if (client.readonly && reads_only && cluster->replicates(slot)) {
    if (!cluster->membership().has_quorum_contact(now_ms)) {
      return refuse(std::string(cluster_down_error));
    }
    return Decision{};
  }
  if (client.asking && cluster->importing_from(slot)) {
    if (!cluster->membership().has_quorum_contact(now_ms)) {
      return refuse(std::string(cluster_down_error));
    }
    return Decision{};
  }
  const cluster::ShardAddress owner = cluster->shard_address(cluster->slot_map()->owner_of(slot));
  if (owner.member == nullptr) return refuse(std::string(slot_unserved_error));
  return refuse(redirect("MOVED", slot, owner, client));
}

// decide(), waiting while a migration batch holds one of the keys.
Decision decide_waiting(server::Server& server, const server::Client& client, cluster::Slot slot,
                        const std::vector<std::string_view>& keys, bool reads_only) {
  for (;;) {
    Decision decision = decide(server, client, slot, keys, reads_only);
    if (decision.kind != Decision::Kind::wait) return decision;
    (void)server.cluster()->migration().wait_queue()->wait();
    server.keyspace().set_now_ms(server.runtime().wall_time_ms());
  }
}

// A READONLY replica serves it: it writes nothing, and it is no script that may write (a
// may-replicate command such as PFCOUNT only rewrites a cached figure).
bool reads_only(const CommandSpec& spec) {
  if ((spec.flags & flag_write) != 0) return false;
  return (spec.flags & flag_runs_script) == 0 || (spec.flags & flag_may_replicate) == 0;
}

// The keys of every command a transaction queued, and whether they all only read.
CallKeys queued_keys(server::Server& server, const server::Client& client, bool& all_read) {
  all_read = true;
  CallKeys call;
  for (const std::vector<std::string>& command : client.queued) {
    const CommandSpec* spec = server.commands().find(command.front());
    if (spec == nullptr) continue;
    if (!spec->subcommands.empty() && command.size() >= 2) {
      spec = server.commands().find_subcommand(*spec, command[1]);
      if (spec == nullptr) continue;
    }
    const std::vector<std::string_view> argv(command.begin(), command.end());
    add_keys(call, *spec, argv);
    all_read = all_read && reads_only(*spec);
  }
  return call;
}

// EXEC: the transaction's commands, queued on this node, must still share one slot it serves,
// with its keys still here if the slot is migrating.
bool exec_admitted(server::Server& server, server::Client& client, protocol::ReplyWriter& reply) {
  std::optional<std::string> refusal;
  if (client.multi_crossslot) {
    refusal = std::string(cross_slot_error);
  } else if (client.multi_slot >= 0) {
    bool all_read = true;
    const CallKeys call = queued_keys(server, client, all_read);
    const auto slot = static_cast<cluster::Slot>(client.multi_slot);
    Decision decision = decide_waiting(server, client, slot, call.keys, all_read);
    if (decision.kind == Decision::Kind::refuse) refusal = std::move(decision.error);
  }
  if (!refusal) return true;
  server.forget_transaction(client);
  reply.error(*refusal);
  return false;
}

}  // namespace

std::optional<std::string> script_command_refusal(server::Server& server,
                                                  const server::Client& caller,
                                                  const CommandSpec& spec,
                                                  std::span<const std::string_view> argv,
                                                  server::ScriptRun& run) {
  CallKeys call;
  add_keys(call, spec, argv);
  if (!call.slot) return std::nullopt;
  constexpr std::string_view non_local = "ERR Script attempted to access a non local key in a "
                                         "cluster node script";
  if (*call.slot < 0) return std::string(non_local);
  const auto slot = static_cast<cluster::Slot>(*call.slot);
  // A script runs whole: a key in a migration batch in flight is not waited for.
  const Decision decision = decide(server, caller, slot, call.keys, reads_only(spec));
  if (decision.kind != Decision::Kind::serve) {
    if (decision.error == cluster_down_error) {
      return std::string("ERR Script attempted to execute a command while the cluster is down");
    }
    return std::string(non_local);
  }
  if (run.cross_slot_allowed) return std::nullopt;
  if (run.slot < 0) run.slot = *call.slot;
  if (run.slot != *call.slot) {
    return std::string("ERR Script attempted to access keys that do not hash to the same slot");
  }
  return std::nullopt;
}

int32_t declared_slot(const CommandSpec& spec, std::span<const std::string_view> argv) {
  CallKeys call;
  add_keys(call, spec, argv);
  return call.slot.value_or(-1);
}

int64_t cluster_now_ms(server::Server& server) {
  return cluster::cluster_clock_ms(server.runtime().now());
}

bool cluster_admits(server::Server& server, server::Client& client, const CommandSpec& spec,
                    std::span<const std::string_view> argv, protocol::ReplyWriter& reply) {
  // Admitted when queued or written (CLUSTER IMPORT checks its batch's keys itself); a replica
  // applies its primary's stream whatever the slot.
  if (client.in_exec || client.aof_loader || client.replication_master) return true;
  // ASKING holds for the one command after it (EXEC after ASKING covers the transaction): every
  // command clears the flag here, and ASKING's own handler, which runs after this check, sets it
  // again.
  const bool asking = client.asking;
  client.asking = false;
  if ((spec.flags & flag_runs_transaction) != 0) {
    client.asking = asking;
    const bool admitted = !client.in_multi || exec_admitted(server, client, reply);
    client.asking = false;
    return admitted;
  }
  CallKeys call;
  add_keys(call, spec, argv);
  if (!call.slot) return true;
  if (*call.slot < 0) {
    refuse_command(server, client, spec, reply, cross_slot_error);
    return false;
  }
  const auto slot = static_cast<cluster::Slot>(*call.slot);
  // Queued in MULTI, keys are looked at again by EXEC: a migration may move them meanwhile.
  const std::vector<std::string_view> no_keys;
  client.asking = asking;
  Decision decision = decide_waiting(server, client, slot, client.in_multi ? no_keys : call.keys,
                                     reads_only(spec));
  client.asking = false;
  if (decision.kind == Decision::Kind::refuse) {
    refuse_command(server, client, spec, reply, decision.error);
    return false;
  }
  if (client.in_multi) {
    if (client.multi_slot < 0) {
      client.multi_slot = *call.slot;
    } else if (client.multi_slot != *call.slot) {
      client.multi_crossslot = true;
    }
  }
  return true;
}

}  // namespace ringcache::commands
