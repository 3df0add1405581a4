// CLUSTER INFO/MYID/KEYSLOT/COUNTKEYSINSLOT/GETKEYSINSLOT/MEET/LEAVE/FAILOVER/HELP, and ASKING,
// READONLY, READWRITE: Redis Cluster's commands over the node's ClusterState. The topology
// commands (NODES, SLOTS, SHARDS) are in cluster_topology.cpp.

#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "core/cluster/key_slot.h"
#include "core/commands/arguments.h"
#include "core/commands/cluster/cluster_family.h"
#include "core/commands/cluster/cluster_routing.h"
#include "core/commands/server/server_family.h"
#include "core/commands/spec_builder.h"
#include "core/protocol/ascii.h"
#include "core/server/server.h"

namespace ringcache::commands {

cluster::ClusterState* cluster_or_reply(CommandContext& ctx) {
  if (!ctx.server.config().cluster.enabled) {
    ctx.reply.error("ERR This instance has cluster support disabled");
    return nullptr;
  }
  cluster::ClusterState* cluster = ctx.server.cluster();
  if (cluster == nullptr) ctx.reply.error("CLUSTERDOWN The cluster is not ready yet");
  return cluster;
}

std::string client_local_ip(const CommandContext& ctx) {
  const std::string& local = ctx.client.local_address;
  return local.substr(0, std::min(local.rfind(':'), local.size()));
}

ShardEndpoint shard_endpoint(CommandContext& ctx, const cluster::ClusterState& cluster,
                             size_t shard) {
  const cluster::ShardAddress address = cluster.shard_address(shard);
  ShardEndpoint endpoint{address.member, address.ip};
  if (endpoint.ip.empty()) endpoint.ip = client_local_ip(ctx);
  return endpoint;
}

ShardEndpoint member_endpoint(CommandContext& ctx, const cluster::ClusterState& cluster,
                              const cluster::ConfigMember& member) {
  const cluster::ShardAddress address = cluster.member_address(member.node_id);
  ShardEndpoint endpoint{address.member, address.ip};
  if (endpoint.ip.empty()) endpoint.ip = client_local_ip(ctx);
  return endpoint;
}

namespace {

// Redis' getSlotOrReply.
std::optional<cluster::Slot> slot_or_reply(CommandContext& ctx, std::string_view text) {
  const std::optional<int64_t> slot = parse_int64(text);
  if (!slot || *slot < 0 || *slot >= static_cast<int64_t>(constants::cluster_slots)) {
    ctx.reply.error("ERR Invalid or out of range slot");
    return std::nullopt;
  }
  return static_cast<cluster::Slot>(*slot);
}

struct SlotHealth {
  uint32_t assigned = 0;
  uint32_t pfail = 0;
  uint32_t fail = 0;
};

SlotHealth slot_health(const cluster::ClusterState& cluster) {
  SlotHealth health;
  const cluster::SlotMap* map = cluster.slot_map();
  if (map == nullptr) return health;
  const std::vector<uint32_t> counts = map->slot_counts();
  for (size_t shard = 0; shard < counts.size(); ++shard) {
    health.assigned += counts[shard];
    const cluster::ShardAddress address = cluster.shard_address(shard);
    if (address.member == nullptr || address.member->node_id == cluster.my_id()) continue;
    const auto view = cluster.membership().node(address.member->node_id);
    if (!view) continue;
    if (view->status == cluster::NodeStatus::suspect) health.pfail += counts[shard];
    if (view->status == cluster::NodeStatus::failed || view->status == cluster::NodeStatus::left) {
      health.fail += counts[shard];
    }
  }
  return health;
}

void cluster_info(CommandContext& ctx) {
  cluster::ClusterState* cluster = cluster_or_reply(ctx);
  if (cluster == nullptr) return;
  const SlotHealth health = slot_health(*cluster);
  const cluster::SlotMap* map = cluster->slot_map();
  const cluster::BusStats& stats = cluster->membership().stats();
  const uint64_t epoch = cluster->membership().config().epoch;
  std::string text;
  auto field = [&text](std::string_view name, const auto& value) {
    fmt::format_to(std::back_inserter(text), "{}:{}\r\n", name, value);
  };
  field("cluster_state", cluster->state_ok(cluster_now_ms(ctx.server)) ? "ok" : "fail");
  field("cluster_slots_assigned", health.assigned);
  field("cluster_slots_ok", health.assigned - health.pfail - health.fail);
  field("cluster_slots_pfail", health.pfail);
  field("cluster_slots_fail", health.fail);
  field("cluster_known_nodes", cluster->known_node_count());
  field("cluster_size", map == nullptr ? 0 : map->shards().size());
  field("cluster_current_epoch", epoch);
  field("cluster_my_epoch", cluster->is_member() ? epoch : 0);
  field("cluster_stats_messages_sent", stats.messages_sent);
  field("cluster_stats_messages_received", stats.messages_received);
  field("cluster_stats_bytes_sent", stats.bytes_sent);
  field("cluster_stats_bytes_received", stats.bytes_received);
  field("cluster_stats_messages_undecodable", stats.decode_errors);
  field("total_cluster_links_buffer_limit_exceeded", 0);
  ctx.reply.verbatim("txt", text);
}

void cluster_myid(CommandContext& ctx) {
  if (cluster::ClusterState* cluster = cluster_or_reply(ctx)) ctx.reply.bulk(cluster->my_id());
}

void cluster_keyslot(CommandContext& ctx) { ctx.reply.integer(cluster::key_slot(ctx.argv[2])); }

// Keys are not indexed by slot: counting walks the keyspace (O(keys)), which is what an operator
// command may cost; routing never does it.
void cluster_countkeysinslot(CommandContext& ctx) {
  const std::optional<cluster::Slot> slot = slot_or_reply(ctx, ctx.argv[2]);
  if (!slot) return;
  int64_t count = 0;
  ctx.server.keyspace().for_each([&](const store::Entry& entry) {
    if (cluster::key_slot(entry.key()) == *slot) ++count;
  });
  ctx.reply.integer(count);
}

void cluster_getkeysinslot(CommandContext& ctx) {
  const std::optional<int64_t> slot_number = parse_int64(ctx.argv[2]);
  const std::optional<int64_t> count = parse_int64(ctx.argv[3]);
  if (!slot_number || !count || *count < 0 || *slot_number < 0 ||
      *slot_number >= static_cast<int64_t>(constants::cluster_slots)) {
    return ctx.reply.error("ERR Invalid slot or number of keys");
  }
  const auto limit =
      static_cast<size_t>(std::min(*count, constants::cluster_getkeysinslot_count_max));
  std::vector<std::string> keys;
  ctx.server.keyspace().for_each([&](const store::Entry& entry) {
    if (keys.size() < limit && cluster::key_slot(entry.key()) == *slot_number) {
      keys.emplace_back(entry.key());
    }
  });
  ctx.reply.array(keys.size());
  for (const std::string& key : keys) ctx.reply.bulk(key);
}

// CLUSTER MEET ip port [bus-port]: the bus port defaults to port + 10000, as Redis'.
void cluster_meet(CommandContext& ctx) {
  cluster::ClusterState* cluster = cluster_or_reply(ctx);
  if (cluster == nullptr) return;
  if (ctx.argv.size() > 5) return ctx.reply.error(errors::wrong_arguments("cluster|meet"));
  const std::optional<int64_t> port = parse_int64(ctx.argv[3]);
  std::optional<int64_t> bus_port;
  if (port) bus_port = ctx.argv.size() == 5 ? parse_int64(ctx.argv[4]) : *port + 10000;
  if (!port || !bus_port || *port < 1 || *port > 65535 || *bus_port < 1 || *bus_port > 65535) {
    return ctx.reply.error(fmt::format("ERR Invalid base port specified: {}", ctx.argv[3]));
  }
  cluster->meet(cluster::BusAddress{std::string(ctx.argv[2]), static_cast<uint16_t>(*bus_port)},
                cluster_now_ms(ctx.server));
  ctx.reply.ok();
}

// CLUSTER LEAVE: ours. The node becomes leaving: it serves on while its keys stream to their new
// owners, then proposes its own removal; once committed it answers every key with a redirect.
void cluster_leave(CommandContext& ctx) {
  cluster::ClusterState* cluster = cluster_or_reply(ctx);
  if (cluster == nullptr) return;
  if (Status left = cluster->leave(); !left) return ctx.reply.error("ERR " + left.message());
  ctx.reply.ok();
}

// CLUSTER RESET [HARD|SOFT]: Redis forgets every other node and its slots. Here the members of
// a cluster change only by the primaries' vote, so a node leaves (CLUSTER LEAVE) or starts
// afresh from an empty cluster config file instead; the command says so.
void cluster_reset(CommandContext& ctx) {
  if (cluster_or_reply(ctx) == nullptr) return;
  if (ctx.argv.size() > 3) return ctx.reply.error(errors::syntax);
  if (ctx.argv.size() == 3 && !option_is(ctx.argv[2], "HARD") &&
      !option_is(ctx.argv[2], "SOFT")) {
    return ctx.reply.error(errors::syntax);
  }
  ctx.reply.error("ERR CLUSTER RESET is not supported: remove this node with CLUSTER LEAVE, or "
                  "restart it with an empty cluster config file");
}

// CLUSTER REPLICATE node-id: this node becomes a replica of that primary's shard (a member
// change the primaries vote on); the node wiring then follows the primary.
void cluster_replicate(CommandContext& ctx) {
  cluster::ClusterState* cluster = cluster_or_reply(ctx);
  if (cluster == nullptr) return;
  if (Status status = cluster->replicate(std::string(ctx.argv[2])); !status) {
    return ctx.reply.error("ERR " + status.message());
  }
  ctx.reply.ok();
}

// CLUSTER FAILOVER [FORCE|TAKEOVER], sent to a replica: it takes its shard over. Without an
// option the primary first holds its writes until the replica has them all (nothing is lost);
// FORCE does not wait for the primary. TAKEOVER is FORCE here: Redis' takeover skips the other
// primaries' agreement, which every configuration change of ours needs (docs/replication.md).
void cluster_failover(CommandContext& ctx) {
  cluster::ClusterState* cluster = cluster_or_reply(ctx);
  if (cluster == nullptr) return;
  bool force = false;
  if (ctx.argv.size() == 3) {
    if (!protocol::iequals(ctx.argv[2], "force") && !protocol::iequals(ctx.argv[2], "takeover")) {
      return ctx.reply.error(errors::syntax);
    }
    force = true;
  } else if (ctx.argv.size() > 3) {
    return ctx.reply.error(errors::syntax);
  }
  if (Status status = cluster->manual_failover(force, cluster_now_ms(ctx.server)); !status) {
    return ctx.reply.error("ERR " + status.message());
  }
  ctx.reply.ok();
}

void cluster_help(CommandContext& ctx) {
  reply_help(
      ctx, "CLUSTER",
      {"COUNTKEYSINSLOT <slot>", "    Return the number of keys in <slot>.",
       "FAILOVER [FORCE|TAKEOVER]", "    Promote current replica node to being a master.",
       "GETKEYSINSLOT <slot> <count>", "    Return key names stored by this node in a slot.",
       "INFO", "    Return information about the cluster.", "KEYSLOT <key>",
       "    Return the hash slot for <key>.", "LEAVE",
       "    Hand this node's slots and keys over to the others, then leave the cluster.",
       "MEET <ip> <port> [<bus-port>]", "    Connect nodes into a working cluster.", "MYID",
       "    Return the node id.", "NODES", "    Return cluster configuration seen by node.",
       "REPLICATE <node-id>", "    Configure current node as replica to <node-id>.",
       "SHARDS", "    Return information about slot range mappings and the nodes serving them.",
       "SLOTS", "    Return information about slots range mappings."});
}

void asking_command(CommandContext& ctx) {
  if (cluster_or_reply(ctx) == nullptr) return;
  ctx.client.asking = true;
  ctx.reply.ok();
}

void readonly_command(CommandContext& ctx) {
  if (cluster_or_reply(ctx) == nullptr) return;
  ctx.client.readonly = true;
  ctx.reply.ok();
}

void readwrite_command(CommandContext& ctx) {
  if (cluster_or_reply(ctx) == nullptr) return;
  ctx.client.readonly = false;
  ctx.reply.ok();
}

}  // namespace

void register_cluster_commands(CommandTable& table) {
  const SpecBuilder cluster = SpecBuilder::family("cluster", "@slow");
  constexpr uint32_t read_flags = flag_loading | flag_stale;
  constexpr uint32_t admin_flags = flag_admin | flag_noscript | flag_stale;
  table.add(
      container("cluster", "cluster")
          .doc("A container for Redis Cluster commands", "3.0.0")
          .subcommands({
              cluster.command("cluster|info", 2, cluster_info)
                  .flags(read_flags)
                  .doc("Provides information about Redis Cluster node state", "3.0.0"),
              cluster.command("cluster|myid", 2, cluster_myid)
                  .flags(read_flags)
                  .doc("Returns the node id", "3.0.0"),
              cluster.command("cluster|keyslot", 3, cluster_keyslot)
                  .flags(read_flags)
                  .doc("Returns the hash slot of the specified key", "3.0.0"),
              cluster.command("cluster|countkeysinslot", 3, cluster_countkeysinslot)
                  .flags(read_flags)
                  .doc("Return the number of local keys in the specified hash slot", "3.0.0"),
              cluster.command("cluster|getkeysinslot", 4, cluster_getkeysinslot)
                  .flags(read_flags)
                  .doc("Return local key names in the specified hash slot", "3.0.0"),
              cluster.command("cluster|nodes", 2, cluster_nodes)
                  .flags(read_flags)
                  .doc("Get Cluster config for the node", "3.0.0"),
              cluster.command("cluster|slots", 2, cluster_slots)
                  .flags(read_flags)
                  .doc("Get array of Cluster slot to node mappings", "3.0.0"),
              cluster.command("cluster|shards", 2, cluster_shards)
                  .flags(read_flags)
                  .doc("Get array of cluster slots to node mappings", "7.0.0"),
              cluster.command("cluster|meet", -4, cluster_meet)
                  .flags(admin_flags)
                  .doc("Force a node cluster to handshake with another node", "3.0.0"),
              cluster.command("cluster|replicate", 3, cluster_replicate)
                  .flags(admin_flags)
                  .doc("Configure a node as replica of a master node", "3.0.0"),
              cluster.command("cluster|failover", -2, cluster_failover)
                  .flags(admin_flags)
                  .doc("Forces a replica to perform a manual failover of its master.", "3.0.0"),
              cluster.command("cluster|leave", 2, cluster_leave)
                  .flags(admin_flags)
                  .doc("Remove this node from the cluster (ringcache)", "0.1.0"),
              cluster.command("cluster|reset", -2, cluster_reset)
                  .flags(admin_flags)
                  .doc("Reset a Redis Cluster node", "3.0.0"),
              cluster.command("cluster|import", 7, cluster_import)
                  .flags(admin_flags)
                  .doc("Apply a batch of keys streamed by a migrating node (ringcache)", "0.1.0"),
              cluster.command("cluster|migration-done", 4, cluster_migration_done)
                  .flags(admin_flags)
                  .doc("A migrating node has no keys left for this one (ringcache)", "0.1.0"),
              cluster.command("cluster|help", 2, cluster_help)
                  .flags(read_flags)
                  .doc("Show helpful text about the different subcommands", "5.0.0"),
          }));
  const SpecBuilder connection = SpecBuilder::family("cluster", "@fast @connection");
  table.add(connection.command("asking", 1, asking_command)
                .flags(flag_fast)
                .doc("Sent by cluster clients after an -ASK redirect", "3.0.0"));
  table.add(connection.command("readonly", 1, readonly_command)
                .flags(flag_loading | flag_stale | flag_fast)
                .doc("Enables read queries for a connection to a cluster replica node", "3.0.0"));
  table.add(connection.command("readwrite", 1, readwrite_command)
                .flags(flag_loading | flag_stale | flag_fast)
                .doc("Disables read queries for a connection to a cluster replica node", "3.0.0"));
}

}  // namespace ringcache::commands
