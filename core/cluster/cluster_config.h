#pragma once
// The committed ring configuration: the members (one per shard, its primary) that own slots, and
// the epoch that names this version. Every change commits a strictly greater epoch, and at most
// one configuration is ever committed per epoch (core/cluster/config_voting.h). The slot map is a
// pure function of the member list.

#include <cstdint>
#include <string>
#include <utility>
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

// Where a member stands in a planned ownership change (docs/cluster.md, "Ownership changes").
// The serving map (who answers for a slot now) is built from the active and leaving members; the
// target map (who will own it once every move is done) from the active and joining ones. A slot
// whose owners in the two maps differ is migrating: its keys stream from the first to the second.
enum class MemberState : uint8_t {
  active = 0,   // serves its slots and keeps them
  joining = 1,  // imports the slots the target map gives it; serves none yet
  leaving = 2,  // serves its slots while it streams them to their target owners
};
inline constexpr uint8_t member_state_max = 2;
const char* member_state_name(MemberState state);
inline bool in_serving_map(MemberState state) { return state != MemberState::joining; }
inline bool in_target_map(MemberState state) { return state != MemberState::leaving; }

// A member of the committed configuration: its address and its state. Converts from a bare
// address as an active member.
struct ConfigMember : NodeAddress {
  MemberState state = MemberState::active;

  ConfigMember() = default;
  ConfigMember(NodeAddress address, MemberState member_state = MemberState::active)  // NOLINT
      : NodeAddress(std::move(address)), state(member_state) {}
  bool operator==(const ConfigMember&) const = default;
};

struct ClusterConfig {
  NodeId cluster_id;   // the node that bootstrapped the cluster: configs of other clusters differ
  uint64_t epoch = 0;  // 0: no configuration yet
  std::vector<ConfigMember> members;  // sorted by node id, no duplicates

  bool operator==(const ClusterConfig&) const = default;
  bool empty() const { return epoch == 0; }
  const ConfigMember* find(const NodeId& node_id) const;
  bool contains(const NodeId& node_id) const { return find(node_id) != nullptr; }
  // Primaries vote, count towards contact and report failures; replicas follow one of them.
  bool is_primary(const NodeId& node_id) const;
  size_t primary_count() const;
  // How many of the primaries' votes or contacts make a majority: floor(p/2) + 1.
  size_t majority() const { return primary_count() / 2 + 1; }
  // The primary member of the shard named `shard_id` (null when it has none), and the shard's
  // replica members in node id order.
  const ConfigMember* primary_of(const NodeId& shard_id) const;
  std::vector<const ConfigMember*> replicas_of(const NodeId& shard_id) const;
  // A member is joining or leaving: a planned move is in flight.
  bool move_in_flight() const;
};

// A digest of the whole configuration (cluster id, epoch, members): two nodes with the same epoch
// and digest hold the same configuration. 0 for the empty configuration.
uint64_t config_digest(const ClusterConfig& config);

// The change a proposal applies. All are idempotent: adding a present member replaces its
// addresses, removing an absent one changes nothing, handing a shard to its primary changes
// nothing.
struct ConfigChange {
  // hand_over (a manual failover): the replica `member` becomes its shard's primary, in the
  // state the primary had, and that primary becomes its replica; no slot moves.
  enum class Kind : uint8_t { add, remove, hand_over } kind = Kind::add;
  ConfigMember member;  // for remove and hand_over only member.node_id matters
  // Removing an active primary promotes this replica of its shard (the proposer's pick: the most
  // up to date it heard of); empty or not a replica of the shard: the first by node id.
  NodeId successor;
  bool operator==(const ConfigChange&) const = default;

  static ConfigChange adding(const ConfigMember& member) { return {Kind::add, member, {}}; }
  static ConfigChange removing(const ConfigMember& member) { return {Kind::remove, member, {}}; }
  static ConfigChange handing_over_to(const ConfigMember& replica) {
    return {Kind::hand_over, replica, {}};
  }
};

// `base` with `change` applied, at `epoch`; members stay sorted.
ClusterConfig apply_change(const ClusterConfig& base, const ConfigChange& change, uint64_t epoch);
// True when `config` already reflects `change` (nothing left to propose).
bool change_applied(const ClusterConfig& config, const ConfigChange& change);

// True when `change`, applied to `base`, starts a planned move: a new joiner, or a member that
// starts leaving. Only one planned move is in flight at a time (a batch of joiners, or one
// leaver), so that the target map holds still while keys stream towards it.
bool starts_move(const ClusterConfig& base, const ConfigChange& change);
// True when `change` ends a planned move in flight in `config`: a joiner made active, or a
// leaver removed.
bool ends_move(const ClusterConfig& config, const ConfigChange& change);
// Whether `proposed` may follow `base`: it keeps a member in both maps (someone serves every
// slot and someone will own it), and it starts no move while one is in flight in `base` (a replica
// promoted in its failed joining primary's place carries that move on: it starts none).
bool valid_transition(const ClusterConfig& base, const ClusterConfig& proposed);

}  // namespace ringcache::cluster
