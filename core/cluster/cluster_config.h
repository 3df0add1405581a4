#pragma once
// The committed ring configuration: the members (one per shard, its primary) that own slots, and
// the epoch that names this version. Every change commits a strictly greater epoch, and at most
// one configuration is ever committed per epoch (core/cluster/config_voting.h). The slot map is a
// pure function of the member list.

#include <cstdint>
#include <string>
#include <vector>

#include "core/cluster/node_id.h"

namespace ringcache::cluster {

enum class NodeRole : uint8_t { primary = 0, replica = 1 };

// A node's identity and where to reach it.
struct NodeAddress {
  NodeId node_id;
  NodeId shard_id;  // the shard's primary's node id
  NodeRole role = NodeRole::primary;
  std::string ip;  // textual; empty on the bus means "the address the datagram came from"
  uint16_t client_port = 0;
  uint16_t bus_port = 0;

  bool operator==(const NodeAddress&) const = default;
};

using ConfigMember = NodeAddress;

struct ClusterConfig {
  NodeId cluster_id;   // the node that bootstrapped the cluster: configs of other clusters differ
  uint64_t epoch = 0;  // 0: no configuration yet
  std::vector<ConfigMember> members;  // sorted by node id, no duplicates

  bool operator==(const ClusterConfig&) const = default;
  bool empty() const { return epoch == 0; }
  const ConfigMember* find(const NodeId& node_id) const;
  bool contains(const NodeId& node_id) const { return find(node_id) != nullptr; }
  // How many of the members' votes or contacts make a majority: floor(n/2) + 1.
  size_t majority() const { return members.size() / 2 + 1; }
};

// A digest of the whole configuration (cluster id, epoch, members): two nodes with the same epoch
// and digest hold the same configuration. 0 for the empty configuration.
uint64_t config_digest(const ClusterConfig& config);

// The change a proposal applies. Both are idempotent: adding a present member replaces its
// addresses, removing an absent one changes nothing.
struct ConfigChange {
  enum class Kind : uint8_t { add, remove } kind = Kind::add;
  ConfigMember member;  // for remove only member.node_id matters
  bool operator==(const ConfigChange&) const = default;
};

// `base` with `change` applied, at `epoch`; members stay sorted.
ClusterConfig apply_change(const ClusterConfig& base, const ConfigChange& change, uint64_t epoch);
// True when `config` already reflects `change` (nothing left to propose).
bool change_applied(const ClusterConfig& config, const ConfigChange& change);

}  // namespace ringcache::cluster
