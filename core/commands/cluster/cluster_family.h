#pragma once
// Internal to the CLUSTER family (cluster.cpp, cluster_topology.cpp).

#include <string>
#include <vector>

#include "core/cluster/cluster_state.h"
#include "core/commands/command.h"

namespace ringcache::commands {

// The node's cluster state, or nullptr after replying Redis' error for a node without cluster
// mode (or one still reading its cluster config file).
cluster::ClusterState* cluster_or_reply(CommandContext& ctx);

// The ip this client connected to (what a node that announces no ip tells clients).
std::string client_local_ip(const CommandContext& ctx);

// Where clients reach `shard`: its announced ip, else the address this client connected to.
struct ShardEndpoint {
  const cluster::ConfigMember* member = nullptr;
  std::string ip;
};
ShardEndpoint shard_endpoint(CommandContext& ctx, const cluster::ClusterState& cluster,
                             size_t shard);
// Where clients reach `member` (a replica, say): the same rule as shard_endpoint.
ShardEndpoint member_endpoint(CommandContext& ctx, const cluster::ClusterState& cluster,
                              const cluster::ConfigMember& member);

// CLUSTER NODES, SLOTS, SHARDS (cluster_topology.cpp).
void cluster_nodes(CommandContext& ctx);
void cluster_slots(CommandContext& ctx);
void cluster_shards(CommandContext& ctx);

// CLUSTER IMPORT, CLUSTER MIGRATION-DONE: what a migrating source sends (cluster_import.cpp).
void cluster_import(CommandContext& ctx);
void cluster_migration_done(CommandContext& ctx);

}  // namespace ringcache::commands
