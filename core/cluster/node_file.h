#pragma once
// The cluster config file (cluster-config-file, nodes.conf by default): what a node must find
// again after a restart to be the same member — its id, its incarnation on the bus, the highest
// epoch it voted for (so it never votes twice in one epoch) and the last configuration it saw
// committed. Pure text in and out; the node writes it atomically through the runtime's Disk.
//
// The format, one item a line ('#' lines are comments):
//   ringcache-cluster-file 2
//   myid <40 hex>
//   shard <40 hex>
//   incarnation <n>
//   last-voted-epoch <n>
//   cluster <40 hex, or - before any configuration>
//   epoch <n>
//   member <node id> <shard id> primary|replica <ip or -> <client port> <bus port> <state>
//     (per member; state is active, joining or leaving; version 1 files have no state: active)

#include <cstdint>
#include <string>
#include <string_view>

#include "core/cluster/cluster_config.h"
#include "core/util/status.h"

namespace ringcache::cluster {

struct NodeFile {
  NodeId my_id;
  NodeId shard_id;
  uint64_t incarnation = 0;
  uint64_t last_voted_epoch = 0;
  ClusterConfig config;

  bool operator==(const NodeFile&) const = default;
};

std::string format_node_file(const NodeFile& file);
// Errors: corrupt, naming the line that is wrong.
Result<NodeFile> parse_node_file(std::string_view text);

}  // namespace ringcache::cluster
