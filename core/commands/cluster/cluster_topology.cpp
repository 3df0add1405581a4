// CLUSTER NODES, SLOTS and SHARDS: the committed slot map in Redis' three shapes. Every node
// derives the same map from the same configuration, so they all answer alike (redis-cli
// --cluster check compares their CLUSTER NODES).

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/commands/cluster/cluster_family.h"
#include "core/commands/cluster/cluster_routing.h"
#include "core/server/server.h"

namespace ringcache::commands {
namespace {

using cluster::ClusterState;
using cluster::NodeStatus;
using cluster::SlotRange;

bool down(NodeStatus status) { return status == NodeStatus::failed || status == NodeStatus::left; }

// How this node sees `node_id`: alive unless the engine says otherwise.
NodeStatus status_of(const ClusterState& cluster, const cluster::NodeId& node_id) {
  if (node_id == cluster.my_id()) return NodeStatus::alive;
  const auto view = cluster.membership().node(node_id);
  return view ? view->status : NodeStatus::alive;
}

std::string slot_ranges_text(const std::vector<SlotRange>& ranges) {
  std::string text;
  for (const SlotRange& range : ranges) {
    if (range.first == range.last) {
      fmt::format_to(std::back_inserter(text), " {}", range.first);
    } else {
      fmt::format_to(std::back_inserter(text), " {}-{}", range.first, range.last);
    }
  }
  return text;
}

struct NodeLine {
  cluster::NodeAddress address;
  std::string ip;
  NodeStatus status = NodeStatus::alive;
  int64_t last_heard_ms = -1;  // monotonic; -1: never (or this node)
  std::vector<SlotRange> slots;
};

// One CLUSTER NODES line: id ip:port@cport flags master ping-sent pong-recv epoch link slots.
void append_node_line(CommandContext& ctx, const ClusterState& cluster, const NodeLine& node,
                      std::string& text) {
  const bool myself = node.address.node_id == cluster.my_id();
  const bool replica = node.address.role == cluster::NodeRole::replica;
  std::string flags = std::string(myself ? "myself," : "") + (replica ? "slave" : "master");
  // A replica names its shard's primary (Redis' master-id field); "-" for a primary.
  std::string master_id = "-";
  if (replica) {
    const cluster::ConfigMember* primary =
        cluster.membership().config().primary_of(node.address.shard_id);
    if (primary != nullptr) master_id = primary->node_id;
  }
  if (node.status == NodeStatus::suspect) flags += ",fail?";
  if (down(node.status)) flags += ",fail";
  int64_t pong_ms = 0;
  if (!myself && node.last_heard_ms >= 0) {
    pong_ms = ctx.server.runtime().wall_time_ms() -
              (cluster_now_ms(ctx.server) - node.last_heard_ms);
  }
  const bool connected = myself || node.status == NodeStatus::alive;
  fmt::format_to(std::back_inserter(text), "{} {}:{}@{} {} {} 0 {} {} {}{}\n",
                 node.address.node_id, node.ip, node.address.client_port, node.address.bus_port,
                 flags, master_id, pong_ms, cluster.membership().config().epoch,
                 connected ? "connected" : "disconnected", slot_ranges_text(node.slots));
}

// The configuration's members (with their slots), then other nodes this one knows alive.
std::vector<NodeLine> node_lines(CommandContext& ctx, const ClusterState& cluster) {
  std::vector<NodeLine> lines;
  const cluster::SlotMap* map = cluster.slot_map();
  for (const cluster::ConfigMember& member : cluster.membership().config().members) {
    NodeLine line{member, member.ip, status_of(cluster, member.node_id), -1, {}};
    if (line.ip.empty()) line.ip = member_endpoint(ctx, cluster, member).ip;
    if (map != nullptr && member.role == cluster::NodeRole::primary) {
      if (const std::optional<size_t> shard = map->index_of(member.shard_id)) {
        line.ip = shard_endpoint(ctx, cluster, *shard).ip;
        line.slots = map->ranges_of(*shard);
      }
    }
    if (const auto view = cluster.membership().node(member.node_id)) {
      line.last_heard_ms = view->last_heard_ms;
    }
    lines.push_back(std::move(line));
  }
  if (!cluster.is_member()) {
    NodeLine self{cluster.self(), cluster.self().ip, NodeStatus::alive, -1, {}};
    if (self.ip.empty()) self.ip = client_local_ip(ctx);
    lines.push_back(std::move(self));
  }
  for (const cluster::NodeView& view : cluster.membership().nodes()) {
    if (cluster.membership().config().contains(view.address.node_id) || down(view.status)) {
      continue;
    }
    lines.push_back(
        NodeLine{view.address, view.address.ip, view.status, view.last_heard_ms, {}});
  }
  return lines;
}

// One node of a CLUSTER SHARDS entry. The replication offset is this node's own when it is the
// node described (others' offsets are not gossiped yet), else 0.
void append_shard_node(CommandContext& ctx, const ClusterState& cluster,
                       const cluster::ConfigMember& member, const std::string& ip) {
  const bool replica = member.role == cluster::NodeRole::replica;
  const server::ReplicationControl* replication = ctx.server.replication();
  const bool myself = member.node_id == cluster.my_id();
  ctx.reply.map(7);
  ctx.reply.bulk("id");
  ctx.reply.bulk(member.node_id);
  ctx.reply.bulk("port");
  ctx.reply.integer(member.client_port);
  ctx.reply.bulk("ip");
  ctx.reply.bulk(ip);
  ctx.reply.bulk("endpoint");
  ctx.reply.bulk(ip);
  ctx.reply.bulk("role");
  ctx.reply.bulk(replica ? "replica" : "master");
  ctx.reply.bulk("replication-offset");
  ctx.reply.integer(myself && replication != nullptr ? static_cast<int64_t>(replication->offset())
                                                     : 0);
  ctx.reply.bulk("health");
  ctx.reply.bulk(down(status_of(cluster, member.node_id)) ? "failed" : "online");
}

// Every (range, shard) of the map in slot order.
std::vector<std::pair<SlotRange, size_t>> ranges_in_slot_order(const cluster::SlotMap& map) {
  std::vector<std::pair<SlotRange, size_t>> ranges;
  const std::vector<std::vector<SlotRange>> by_shard = map.ranges();
  for (size_t shard = 0; shard < by_shard.size(); ++shard) {
    for (const SlotRange& range : by_shard[shard]) ranges.emplace_back(range, shard);
  }
  std::sort(ranges.begin(), ranges.end(),
            [](const auto& a, const auto& b) { return a.first.first < b.first.first; });
  return ranges;
}

}  // namespace

void cluster_nodes(CommandContext& ctx) {
  ClusterState* cluster = cluster_or_reply(ctx);
  if (cluster == nullptr) return;
  std::string text;
  for (const NodeLine& line : node_lines(ctx, *cluster)) {
    append_node_line(ctx, *cluster, line, text);
  }
  ctx.reply.verbatim("txt", text);
}

void cluster_slots(CommandContext& ctx) {
  ClusterState* cluster = cluster_or_reply(ctx);
  if (cluster == nullptr) return;
  const cluster::SlotMap* map = cluster->slot_map();
  if (map == nullptr) return ctx.reply.empty_array();
  const auto ranges = ranges_in_slot_order(*map);
  ctx.reply.array(ranges.size());
  for (const auto& [range, shard] : ranges) {
    const ShardEndpoint endpoint = shard_endpoint(ctx, *cluster, shard);
    const std::vector<const cluster::ConfigMember*> replicas = cluster->replicas_of_shard(shard);
    ctx.reply.array(3 + replicas.size());
    ctx.reply.integer(range.first);
    ctx.reply.integer(range.last);
    ctx.reply.array(4);
    ctx.reply.bulk(endpoint.ip);
    ctx.reply.integer(endpoint.member != nullptr ? endpoint.member->client_port : 0);
    // The node id (the shard is named after its first primary, which a failover replaces).
    ctx.reply.bulk(endpoint.member != nullptr ? endpoint.member->node_id : map->shards()[shard]);
    ctx.reply.map(0);
    for (const cluster::ConfigMember* replica : replicas) {
      ctx.reply.array(4);
      ctx.reply.bulk(member_endpoint(ctx, *cluster, *replica).ip);
      ctx.reply.integer(replica->client_port);
      ctx.reply.bulk(replica->node_id);
      ctx.reply.map(0);
    }
  }
}

void cluster_shards(CommandContext& ctx) {
  ClusterState* cluster = cluster_or_reply(ctx);
  if (cluster == nullptr) return;
  const cluster::SlotMap* map = cluster->slot_map();
  if (map == nullptr) return ctx.reply.empty_array();
  const std::vector<std::vector<SlotRange>> ranges = map->ranges();
  ctx.reply.array(ranges.size());
  for (size_t shard = 0; shard < ranges.size(); ++shard) {
    const ShardEndpoint endpoint = shard_endpoint(ctx, *cluster, shard);
    ctx.reply.map(2);
    ctx.reply.bulk("slots");
    ctx.reply.array(2 * ranges[shard].size());
    for (const SlotRange& range : ranges[shard]) {
      ctx.reply.integer(range.first);
      ctx.reply.integer(range.last);
    }
    ctx.reply.bulk("nodes");
    if (endpoint.member == nullptr) {
      ctx.reply.empty_array();
      continue;
    }
    const std::vector<const cluster::ConfigMember*> replicas = cluster->replicas_of_shard(shard);
    ctx.reply.array(1 + replicas.size());
    append_shard_node(ctx, *cluster, *endpoint.member, endpoint.ip);
    for (const cluster::ConfigMember* replica : replicas) {
      append_shard_node(ctx, *cluster, *replica, member_endpoint(ctx, *cluster, *replica).ip);
    }
  }
}

}  // namespace ringcache::commands
