#include "core/commands/cluster/cluster_routing.h"

#include <fmt/format.h>

#include <chrono>
#include <optional>
#include <string>

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

// The slot every key of the call hashes to; nullopt without keys; -1 when they differ.
std::optional<int32_t> slot_of_call(const CommandSpec& spec,
                                    std::span<const std::string_view> argv) {
  std::optional<int32_t> slot;
  for (const int position : CommandTable::key_positions(spec, argv)) {
    const int32_t key_slot = cluster::key_slot(argv[static_cast<size_t>(position)]);
    if (slot && *slot != key_slot) return -1;
    slot = key_slot;
  }
  return slot;
}

// Why `slot` cannot be served here (the whole error), or nullopt when it can.
std::optional<std::string> slot_refusal(server::Server& server, const server::Client& client,
                                        cluster::Slot slot) {
  const cluster::ClusterState* cluster = server.cluster();
  if (cluster == nullptr || cluster->slot_map() == nullptr) return std::string(slot_unserved_error);
  if (cluster->owns(slot)) {
    if (!cluster->serving(cluster_now_ms(server))) return std::string(cluster_down_error);
    return std::nullopt;
  }
  const cluster::ShardAddress owner = cluster->shard_address(cluster->slot_map()->owner_of(slot));
  if (owner.member == nullptr) return std::string(slot_unserved_error);
  const std::string_view ip = owner.ip.empty() ? host_of(client.local_address) : owner.ip;
  return fmt::format("MOVED {} {}:{}", slot, ip, owner.member->client_port);
}

// EXEC: the transaction's commands, queued on this node, must still share one slot it serves.
bool exec_admitted(server::Server& server, server::Client& client, protocol::ReplyWriter& reply) {
  std::optional<std::string> refusal;
  if (client.multi_crossslot) {
    refusal = std::string(cross_slot_error);
  } else if (client.multi_slot >= 0) {
    refusal = slot_refusal(server, client, static_cast<cluster::Slot>(client.multi_slot));
  }
  if (!refusal) return true;
  server.forget_transaction(client);
  reply.error(*refusal);
  return false;
}

}  // namespace

int64_t cluster_now_ms(server::Server& server) {
  return cluster::cluster_clock_ms(server.runtime().now());
}

bool cluster_admits(server::Server& server, server::Client& client, const CommandSpec& spec,
                    std::span<const std::string_view> argv, protocol::ReplyWriter& reply) {
  if (client.in_exec || client.aof_loader) return true;  // admitted when queued or written
  // ASKING holds for the one command after it: every command clears the flag here, and ASKING's
  // own handler, which runs after this check, sets it again.
  client.asking = false;
  if ((spec.flags & flag_runs_transaction) != 0) {
    return !client.in_multi || exec_admitted(server, client, reply);
  }
  const std::optional<int32_t> slot = slot_of_call(spec, argv);
  if (!slot) return true;
  if (*slot < 0) {
    refuse_command(server, client, spec, reply, cross_slot_error);
    return false;
  }
  if (std::optional<std::string> refusal =
          slot_refusal(server, client, static_cast<cluster::Slot>(*slot))) {
    refuse_command(server, client, spec, reply, *refusal);
    return false;
  }
  if (client.in_multi) {
    if (client.multi_slot < 0) {
      client.multi_slot = *slot;
    } else if (client.multi_slot != *slot) {
      client.multi_crossslot = true;
    }
  }
  return true;
}

}  // namespace ringcache::commands
