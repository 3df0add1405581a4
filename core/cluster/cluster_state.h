#pragma once
// What one node knows of its cluster, as commands and routing read it: its own identity, the
// membership engine, and the slot map of the committed configuration (recomputed whenever that
// configuration's epoch changes). Pure: the node's bus fiber feeds the engine and persists
// node_file(); time comes in as monotonic milliseconds.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/cluster/membership.h"
#include "core/cluster/node_file.h"
#include "core/cluster/ring.h"
#include "core/runtime.h"
#include "core/util/rng.h"

namespace ringcache::cluster {

struct ClusterStateOptions {
  std::string announce_ip;  // empty: peers use the address our datagrams come from
  uint16_t client_port = 0;
  uint16_t bus_port = 0;
  int64_t node_timeout_ms = constants::cluster_node_timeout_ms_default;
  uint32_t vnodes = constants::cluster_vnodes_default;
  std::vector<BusAddress> seeds;  // may name this node itself: it is left out
};

// Where a shard is served: its primary's client address (ip empty when nobody told it).
struct ShardAddress {
  const ConfigMember* member = nullptr;
  std::string ip;
};

// The clock every cluster timer and contact check reads: the runtime's monotonic time in ms.
inline int64_t cluster_clock_ms(Instant now) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
}

class ClusterState {
 public:
  // A node restored from its config file (`stored`), or a new one with a random id when there is
  // none. A new node that is its seed list's first entry, or has no seeds, creates the cluster
  // (the first seed after cluster_bootstrap_wait_ms without hearing of an existing one).
  ClusterState(ClusterStateOptions options, std::optional<NodeFile> stored, Rng& rng,
               int64_t now_ms);

  const NodeId& my_id() const { return membership_.self().node_id; }
  const NodeAddress& self() const { return membership_.self(); }
  Membership& membership() { return membership_; }
  const Membership& membership() const { return membership_; }
  const ClusterStateOptions& options() const { return options_; }
  // What the config file must hold now.
  NodeFile node_file() const;

  // After the engine ran: creates the cluster when due, rebuilds the slot map when the committed
  // epoch changed, and asks to be added while this node is not a member (unless it is leaving).
  // True when the map changed.
  bool refresh(int64_t now_ms);
  // The map of the committed configuration; null before the first one.
  const SlotMap* slot_map() const { return slot_map_ ? &*slot_map_ : nullptr; }
  bool is_member() const { return membership_.config().contains(my_id()); }
  // True when this node's shard owns `slot` in the committed map.
  bool owns(Slot slot) const;
  // Owned slots may be served: a member, in contact with a majority within the node timeout.
  bool serving(int64_t now_ms) const;
  // Every slot has an owner not known to have failed, and this node is serving.
  bool state_ok(int64_t now_ms) const;
  ShardAddress shard_address(size_t shard) const;
  // Slots this node's shard owns (0 when not a member).
  uint32_t owned_slot_count() const;
  // Nodes not known to have failed or left, this node included (CLUSTER INFO, /metrics).
  size_t known_node_count() const;

  // After the others declared this node failed and the wiring dropped every key: back on the
  // bus as a new incarnation, asking to be added again.
  void rejoin(int64_t now_ms);
  // CLUSTER LEAVE: proposes this node's removal; it stops asking to be re-added.
  Status leave();
  bool leaving() const { return leaving_; }
  // CLUSTER MEET: a MEET to `address`. A node alone in the cluster it created gives that cluster
  // up first, to join the met node's (as redis-cli --cluster add-node expects of a new node).
  void meet(const BusAddress& address, int64_t now_ms);
  // Messages produced outside the bus fiber (meet); the fiber sends them on its next step.
  std::vector<Outgoing> take_outbox();

 private:
  ClusterStateOptions options_;
  Membership membership_;
  std::optional<SlotMap> slot_map_;
  std::optional<size_t> my_shard_;  // my index in slot_map_->shards()
  bool leaving_ = false;
  bool join_requested_ = false;  // propose_add(self) queued and not yet committed
  std::optional<int64_t> bootstrap_at_ms_;  // when this node creates the cluster, if it does
  std::vector<Outgoing> outbox_;
};

}  // namespace ringcache::cluster
