#pragma once
// What one node knows of its cluster, as commands and routing read it: its own identity, the
// membership engine, and the slot map of the committed configuration (recomputed whenever that
// configuration's epoch changes). Pure: the node's bus fiber feeds the engine and persists
// node_file(); time comes in as monotonic milliseconds.

#include <chrono>
#include <map>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/cluster/membership.h"
#include "core/cluster/migration_state.h"
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
  // cluster-replica-of: join as a replica of the primary whose client address this is (empty
  // ip: a primary).
  std::string replica_of_ip;
  uint16_t replica_of_port = 0;
  // The node keeps no data across a restart (appendonly off): restarted as a primary of its
  // stored configuration, it must not hand its empty keyspace to its replicas.
  bool restarts_empty = false;
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

  // After the engine ran: creates the cluster when due, rebuilds the slot maps when the committed
  // epoch changed, asks to be added (as a joiner) while this node is not a member (unless it is
  // leaving), and ends this node's planned move when its keys have moved: a joiner that heard
  // from every source asks to become active, a drained leaver asks to be removed.
  // True when the maps changed.
  bool refresh(int64_t now_ms);
  // The serving map of the committed configuration (active and leaving members: who answers
  // for each slot now); null before the first one. Routing, CLUSTER SLOTS/NODES/SHARDS read it.
  const SlotMap* slot_map() const { return slot_map_ ? &*slot_map_ : nullptr; }
  // The target map (active and joining members: who owns each slot once the moves are done);
  // the same as slot_map() when no move is in flight. Null when nobody would own a slot.
  const SlotMap* target_map() const { return target_map_ ? &*target_map_ : nullptr; }
  // This node's state in the committed configuration (nullopt: not a member).
  std::optional<MemberState> member_state() const;
  bool is_member() const { return membership_.config().contains(my_id()); }
  // True when this node is its shard's primary and the shard owns `slot` in the committed map.
  bool owns(Slot slot) const;
  // This node is a replica member of the committed configuration.
  bool is_replica() const;
  // A replica whose shard owns `slot` (it may serve reads of it to READONLY clients).
  bool replicates(Slot slot) const;
  // A replica's primary: the member to follow and its client address; nullopt on a primary, a
  // non-member, or a replica whose shard has no primary in the configuration.
  std::optional<ShardAddress> primary_to_follow() const;
  // The replica members of the map's `shard`, in node id order.
  std::vector<const ConfigMember*> replicas_of_shard(size_t shard) const;
  // CLUSTER REPLICATE: become a replica of `primary_id`'s shard (asked for now when this node
  // is a member, or instead of joining as a primary when it is not). Errors in Redis' words.
  Status replicate(const NodeId& primary_id);
  // CLUSTER FAILOVER [FORCE]: this replica takes its shard over (Membership::
  // start_manual_failover). Errors in Redis' words.
  Status manual_failover(bool force, int64_t now_ms) {
    return membership_.start_manual_failover(force, now_ms);
  }
  // Owned slots may be served: a member, in contact with a majority within its contact window.
  bool serving(int64_t now_ms) const;
  // How often serving()'s answer changed from one call to the next. An observer that samples
  // serving() (the simulator's cluster monitor) can miss a moment of serving shorter than its
  // period, e.g. contact regained, a command admitted, then a vote holding the node again; two
  // changes since its last sample tell it the node may have served in between. Changes nothing.
  uint64_t serving_changes() const { return serving_changes_; }
  // A primary restarted without its data while its shard has replicas: until the configuration
  // removes it (promoting the most up-to-date replica, whom it then follows) it serves nothing
  // and lets no replica sync from it, so a write a replica acknowledged is not lost.
  bool stepping_down() const { return stepping_down_; }
  // Every slot has an owner not known to have failed, and this node is serving (a replica: is a
  // member in contact with a majority of primaries).
  bool state_ok(int64_t now_ms) const;
  ShardAddress shard_address(size_t shard) const;

  // Slot migration (docs/cluster.md, "Ownership changes"). A slot this node serves whose owner
  // in the target map is another: where its keys go. Nullopt otherwise.
  std::optional<ShardAddress> migrating_to(Slot slot) const;
  // A slot whose target owner is this node and serving owner another: where its keys come from.
  std::optional<ShardAddress> importing_from(Slot slot) const;
  // Keys of `slot` belong here: it serves the slot or imports it.
  // (A replica keeps its shard's: its primary's stream, not this node, removes them.)
  bool keeps_keys_of(Slot slot) const {
    return owns(slot) || replicates(slot) || importing_from(slot).has_value();
  }
  // The nodes this node's migrating slots go to (node ids, computed with the maps).
  const std::vector<NodeId>& migration_targets() const { return targets_; }
  // Every member that serves a migrating slot (not only the joiner's or leaver's own: the ring's
  // per-shard cap can also move slots between members that stay), and the members that end the
  // move (the joiners, who become active, or the leaver, who is removed). The ownership switch
  // waits until every source said it has nothing left to move in the committed configuration.
  const std::vector<NodeId>& migration_sources() const { return sources_; }
  const std::vector<NodeId>& migration_finishers() const { return finishers_; }
  // Where clients (and a migrating source) reach a member: its client address.
  ShardAddress member_address(const NodeId& node_id) const;
  // A finisher hears that `source` has nothing left to move in the configuration of `epoch`
  // (also this node itself, when it is a source). Refused unless that is the committed epoch,
  // `source` is a source and this node a finisher.
  Status record_source_done(const NodeId& source, uint64_t epoch);
  // The migrator moved every key this node had to move in `epoch`.
  void set_drained(uint64_t epoch) { drained_epoch_ = epoch; }
  // 1 while this node still has keys to move in the committed configuration, plus the sources a
  // finisher has not heard from yet (INFO cluster, /metrics).
  size_t migrations_in_flight() const;
  MigrationState& migration() { return migration_; }
  const MigrationState& migration() const { return migration_; }
  // Slots this node's shard owns (0 when not a member).
  uint32_t owned_slot_count() const;
  // Nodes not known to have failed or left, this node included (CLUSTER INFO, /metrics).
  size_t known_node_count() const;

  // After the others declared this node failed: back on the bus as a new incarnation, asking to
  // be added again if its removal commits (its keys stay until then: core/node/cluster_bus.cpp).
  void rejoin(int64_t now_ms);
  // The wiring dropped every key (out of the configuration); counted for observers (the
  // simulator's checkers tell data a node lost from data it still holds).
  void count_data_drop() { ++data_drops_; }
  uint64_t data_drops() const { return data_drops_; }
  // CLUSTER LEAVE: marks this node leaving (it serves on while its slots stream to their new
  // owners, then proposes its own removal); it stops asking to be re-added. Asked again, it
  // answers the same.
  Status leave();
  bool leaving() const { return leaving_; }
  // A leaver out of the configuration stays on the bus until a majority of the members know it
  // (Membership::depart); then it has departed, and the node may stop.
  bool departed() const { return membership_.self_state() == SelfState::left; }
  // A member, or a leaver out of the configuration that has not departed yet.
  bool in_cluster() const { return is_member() || (leaving_ && !departed()); }
  // CLUSTER MEET: a MEET to `address`. A node alone in the cluster it created gives that cluster
  // up first, to join the met node's (as redis-cli --cluster add-node expects of a new node).
  void meet(const BusAddress& address, int64_t now_ms);
  // Messages produced outside the bus fiber (meet); the fiber sends them on its next step.
  std::vector<Outgoing> take_outbox();

 private:
  ClusterStateOptions options_;
  Membership membership_;
  void rebuild_maps();
  bool every_source_reported() const;
  void finish_move();

  std::optional<SlotMap> slot_map_;
  std::optional<size_t> my_shard_;  // my index in slot_map_->shards()
  uint64_t maps_epoch_ = 0;  // the configuration the maps were built from
  std::optional<SlotMap> target_map_;
  std::optional<size_t> my_target_shard_;  // my index in target_map_->shards()
  std::vector<NodeId> targets_;
  std::vector<NodeId> sources_;
  std::vector<NodeId> finishers_;
  std::map<NodeId, uint64_t> sources_done_;  // source -> epoch it reported done for
  uint64_t drained_epoch_ = 0;
  uint64_t move_end_proposed_epoch_ = 0;     // activation or removal asked in this epoch
  bool leave_requested_ = false;             // the leaving state asked for
  MigrationState migration_;
  bool leaving_ = false;
  bool join_requested_ = false;  // propose_add(self) queued and not yet committed
  uint64_t join_asked_epoch_ = 0;  // the configuration request_join last looked at
  // The shard CLUSTER REPLICATE asked to follow (cluster-replica-of names it by address).
  std::optional<NodeId> replica_shard_;
  bool stepping_down_ = false;
  // serving()'s last answer and how often it changed (serving_changes); bookkeeping only.
  mutable bool last_serving_ = false;
  mutable uint64_t serving_changes_ = 0;
  void step_down_if_empty();
  bool wants_replica() const { return replica_shard_ || !options_.replica_of_ip.empty(); }
  std::optional<NodeId> wanted_shard() const;
  std::optional<NodeId> shard_short_of_replicas() const;
  // Declared failed and back as a new incarnation: removed, it drops its keys, so where its old
  // shard is gone it may restore another shard's redundancy instead of founding a shard.
  bool rejoined_ = false;
  uint64_t data_drops_ = 0;
  void lead_orphaned_shard();
  uint64_t orphan_asked_epoch_ = 0;  // lead_orphaned_shard asked in this epoch
  void request_join();
  void adopt_committed_role();
  std::optional<int64_t> bootstrap_at_ms_;  // when this node creates the cluster, if it does
  std::vector<Outgoing> outbox_;
};

}  // namespace ringcache::cluster
