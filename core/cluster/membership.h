#pragma once
// One node's membership engine: joining through seeds, pinging peers, piggybacked gossip,
// failure detection (local suspicion after the node timeout, FAIL once a majority of the
// configuration's primaries suspect), and committing configuration changes by majority vote.
// Pure: the node wiring feeds it datagrams and a periodic tick, and sends what it returns.
//
// The wiring's contract (docs/cluster-bus.md, "Node wiring"):
// * call tick(now, rng) every cluster_tick_interval_ms and send each returned Outgoing as one
//   datagram from the node's bus socket to `to`;
// * pass every datagram received on the bus socket to receive() and send what it returns;
// * after either, compare config().epoch with the last one seen: a higher epoch is a new
//   committed configuration (rebuild the slot map, write the config file with incarnation() and
//   last_voted_epoch());
// * when self_state() becomes declared_failed: stop serving, drop every key, then call rejoin().

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/cluster/bus_message.h"
#include "core/cluster/config_voting.h"
#include "core/cluster/failure_reports.h"
#include "core/cluster/node_table.h"
#include "core/constants.h"
#include "core/util/rng.h"
#include "core/util/status.h"

namespace ringcache::cluster {

struct BusAddress {
  std::string ip;
  uint16_t port = 0;
  bool operator==(const BusAddress&) const = default;
};

struct Outgoing {
  BusAddress to;
  std::string bytes;  // one encoded BusMessage: one datagram
};

struct MembershipOptions {
  NodeAddress self;  // node id, shard id, role, advertised ip and ports
  int64_t node_timeout_ms = constants::cluster_node_timeout_ms_default;
  // Restored from the config file (all zero/empty for a new node).
  ClusterConfig config;
  uint64_t incarnation = 0;
  uint64_t last_voted_epoch = 0;
  std::vector<BusAddress> seeds;  // met until some peer answers
};

enum class SelfState : uint8_t {
  active,           // a member of the bus
  declared_failed,  // the others declared this node failed: drop data, then rejoin()
  left,             // departed: out of the configuration, and a majority of the members know it
};

struct NodeView {
  NodeAddress address;
  NodeStatus status = NodeStatus::alive;  // suspect = this node's own suspicion (PFAIL)
  uint64_t incarnation = 0;
  int64_t last_heard_ms = 0;
};

struct BusStats {
  uint64_t messages_sent = 0;
  uint64_t bytes_sent = 0;
  uint64_t messages_received = 0;
  uint64_t bytes_received = 0;
  uint64_t decode_errors = 0;
  uint64_t config_conflicts = 0;  // same epoch, different digest: must stay 0
  uint64_t proposals_started = 0;
  uint64_t configs_committed = 0;  // by this node as proposer
  uint64_t manual_failovers_abandoned = 0;  // CLUSTER FAILOVER attempts that ran out of time
};

class Membership {
 public:
  Membership(MembershipOptions options, int64_t now_ms);

  // Periodic work: pings, suspicion, FAIL, proposals, meeting seeds. Returns datagrams to send.
  std::vector<Outgoing> tick(int64_t now_ms, Rng& rng);
  // A datagram from the bus; malformed ones are counted and dropped. Returns replies to send.
  std::vector<Outgoing> receive(const BusAddress& from, std::string_view bytes, int64_t now_ms,
                                Rng& rng);

  // CLUSTER MEET ip port / cluster-seeds: a MEET to that bus address now, and again on later
  // ticks until some peer has answered.
  std::vector<Outgoing> meet(const BusAddress& seed, int64_t now_ms);
  // Creates a new cluster: the configuration at epoch 1 with this node as its only member.
  // Fails when a configuration exists. Exactly one node of a new cluster does this (the one
  // started without seeds); the others meet it and are added by propose_add.
  Status bootstrap();
  // Queues a change; proposals go out on the next ticks and are retried (at higher epochs) until
  // the committed configuration reflects the change. Idempotent. A change that ends a planned
  // move (a joiner made active, a leaver removed) is dropped instead when another configuration
  // is committed first: it was asked for on grounds that held in the older one only.
  Status propose_add(const ConfigMember& member);
  Status propose_remove(const NodeId& node_id);
  // Graceful departure (CLUSTER LEAVE, after this node asked for its own removal): once the
  // committed configuration no longer holds this node, it stays on the bus, offering that
  // configuration to the members whose messages do not carry its epoch yet (the removal's
  // proposer may be the only node that knows it committed), until a majority of them do; then it
  // tells every peer it leaves, self_state() becomes left, and it answers nothing afterwards.
  void depart() { departing_ = true; }
  bool departing() const { return departing_; }
  // After declared_failed (and the wiring dropped its data): back as a new incarnation, not a
  // member of the configuration until added again.
  void rejoin(int64_t now_ms);
  // The role and shard this node advertises (a replica's shard is its primary's): set before it
  // asks to be added as a replica, and from the committed configuration once it is a member.
  void set_self_role(NodeRole role, const NodeId& shard_id);
  // The replication offset this node's messages carry (set by the wiring before each step).
  void set_replication_offset(uint64_t offset) { replication_offset_ = offset; }
  // Whether this node, a replica, has a live link to its primary (synced with it, so that its
  // offset counts in its primary's history); set by the wiring before each step.
  void set_replication_link_up(bool up) { replication_link_up_ = up; }
  // CLUSTER FAILOVER on a replica member (docs/replication.md, "Manual failover"). With `force`
  // it asks for the hand-over of its shard at once; without, it asks its primary to pause
  // writes, waits until it has applied the offset the paused primary reports, then asks. It
  // gives up after cluster_manual_failover_timeout_ms. Refusals in Redis' words.
  Status start_manual_failover(bool force, int64_t now_ms);
  bool manual_failover_in_progress() const { return failover_.has_value(); }
  // The primary's side: until when a replica of its shard asked it to hold its clients (-1: no
  // pause asked). The wiring pauses its clients, then calls failover_pause_applied(),
  // after which the primary reports its offset (still from then on) to the replica. Once this
  // is -1 again (the hand-over committed, or the time is up), the wiring lifts the pause.
  int64_t failover_pause_until_ms() const { return failover_pause_until_ms_; }
  void failover_pause_applied() { failover_pause_applied_ = true; }

  // Queries.
  const NodeAddress& self() const { return options_.self; }
  SelfState self_state() const { return self_state_; }
  uint64_t incarnation() const { return incarnation_; }
  uint64_t last_voted_epoch() const { return voter_.last_voted_epoch(); }
  const ClusterConfig& config() const { return config_; }
  uint64_t config_digest() const { return config_digest_; }
  // Whether a majority of the configuration's primaries (itself included) answered a ping this
  // node sent within the contact window, cluster_contact_window_pct of the node timeout (a round
  // trip: under a one-way cut a node may hear the majority while they no longer hear it), it
  // knows of no configuration newer than its own, and it has not voted for a proposal that may
  // yet commit (it may move this node's slots). False without a configuration.
  bool has_quorum_contact(int64_t now_ms) const;
  // Back from being declared failed (rejoin) and still on the configuration it held then: it
  // cannot tell yet whether the others committed its removal meanwhile (has_quorum_contact says
  // so, through pings sent after the removal could have committed).
  bool unsure_of_membership(int64_t now_ms) const {
    return rejoin_epoch_ != 0 && config_.epoch <= rejoin_epoch_ && !has_quorum_contact(now_ms);
  }
  std::optional<NodeView> node(const NodeId& node_id) const;
  std::vector<NodeView> nodes() const;
  const BusStats& stats() const { return stats_; }

 private:
  using Out = std::vector<Outgoing>;
  BusMessage make(MessageType type) const;
  void send(Out& out, const BusAddress& to, const BusMessage& message);
  void send_to(Out& out, const NodeEntry& entry, const BusMessage& message);
  BusAddress address_of(const NodeAddress& node) const;
  void send_ping(Out& out, NodeEntry& entry, int64_t now_ms, Rng& rng);
  void on_pong(NodeEntry& entry, uint32_t echoed_seq);
  std::vector<GossipEntry> gossip_for_message(bool anti_entropy, Rng& rng);
  GossipEntry self_entry() const;

  // tick steps (membership_tick.cpp)
  void ping_peers(Out& out, int64_t now_ms, Rng& rng);
  std::vector<NodeId> quorum_peers() const;
  void detect_failures(Out& out, int64_t now_ms);
  void suspect(Out& out, NodeEntry& entry, int64_t now_ms);
  void maybe_declare_failed(Out& out, const NodeId& target, int64_t now_ms);
  void declare_failed(Out& out, NodeEntry& entry, int64_t now_ms);
  void meet_seeds(Out& out, int64_t now_ms);
  void depart_once_known(Out& out, int64_t now_ms, Rng& rng);
  void say_goodbye(Out& out);
  std::vector<NodeId> fail_collectors(const NodeId& target) const;

  // receive steps (membership_receive.cpp)
  NodeEntry* heard_from(Out& out, const BusAddress& from, const BusMessage& message,
                        int64_t now_ms);
  void check_config_epoch(Out& out, const BusMessage& message, const NodeEntry& sender,
                          int64_t now_ms);
  void merge_gossip(Out& out, const BusMessage& message, int64_t now_ms);
  void merge_entry(Out& out, const NodeId& reporter, const GossipEntry& entry, int64_t now_ms);
  void mark_failed(NodeEntry& entry, int64_t now_ms);
  void on_self_news(NodeStatus status, uint64_t incarnation, int64_t now_ms);
  void on_suspect(Out& out, const BusMessage& message, int64_t now_ms);
  void on_fail(Out& out, const BusMessage& message, int64_t now_ms);
  void on_config(const BusMessage& message, int64_t now_ms);
  void on_vote_request(Out& out, const BusMessage& message, const NodeEntry& sender,
                       int64_t now_ms);
  void on_vote(Out& out, const BusMessage& message, int64_t now_ms);
  void on_gossip_message(Out& out, const BusMessage& message, const NodeEntry& sender,
                         int64_t now_ms, Rng& rng);

  // manual failover steps (membership_failover.cpp)
  void drive_manual_failover(Out& out, int64_t now_ms);
  void report_paused_offset(Out& out, int64_t now_ms);
  void abandon_manual_failover();
  void on_failover_request(const BusMessage& message, int64_t now_ms);
  void on_failover_ready(const BusMessage& message);
  void end_failover_pause();

  // configuration steps (membership_config.cpp)
  void adopt(const ClusterConfig& config, int64_t now_ms);
  void queue_change(const ConfigChange& change, int64_t not_before_ms);
  void queue_failure_removal(const NodeId& node_id, int64_t now_ms);
  void absorb_proposal(const BusMessage& request);
  void drive_proposals(Out& out, int64_t now_ms, Rng& rng);
  void start_proposal(Out& out, int64_t now_ms);
  std::optional<uint64_t> next_proposal_epoch() const;
  void propose(Out& out, ClusterConfig proposed, int64_t started_ms, int64_t now_ms);
  void keep_rival_changes(Out& out, const BusMessage& refusal, int64_t now_ms);
  bool removes_only_dead_members(const ClusterConfig& rival) const;
  // The pending changes, each removal of a primary naming the replica to promote.
  std::vector<ConfigChange> ranked_changes() const;
  NodeId successor_of(const ConfigMember& primary) const;
  void broadcast_config(Out& out);
  void hold_serving_for(uint64_t proposal_epoch, int64_t now_ms);
  bool is_first_live_member() const;

  MembershipOptions options_;
  SelfState self_state_ = SelfState::active;
  bool departing_ = false;  // depart() was called
  uint64_t incarnation_ = 0;
  uint64_t replication_offset_ = 0;
  bool replication_link_up_ = false;
  uint64_t failed_incarnation_ = 0;
  int self_transmits_left_ = 0;  // gossip retransmissions owed for this node's own entry
  NodeTable table_;
  FailureReports reports_;
  ClusterConfig config_;
  uint64_t config_digest_ = 0;
  Voter voter_;
  std::vector<ConfigChange> pending_;
  // Removals asked for through propose_remove (a graceful leave): the others, queued because
  // the node was failed, are dropped when it comes back.
  std::set<NodeId> requested_removals_;
  std::optional<Proposal> proposal_;
  uint64_t highest_epoch_seen_ = 0;
  // The highest committed configuration epoch a peer has shown (message headers carry the
  // sender's). Above ours, this node's map is stale: it must not serve until it has caught up.
  uint64_t committed_epoch_seen_ = 0;
  // The highest proposal epoch this node voted for, and until when that proposal may commit:
  // while it may and this node holds an older configuration, it does not serve.
  uint64_t vote_hold_epoch_ = 0;
  int64_t vote_hold_until_ms_ = -1;
  // After a rejoin, while its configuration is still the one it held then (rejoin_epoch_): only
  // contact through pings sent from contact_floor_ms_ on counts (see rejoin()).
  int64_t contact_floor_ms_ = -1;
  uint64_t rejoin_epoch_ = 0;
  // A replica's CLUSTER FAILOVER in progress.
  struct ManualFailover {
    bool force = false;
    int64_t deadline_ms = 0;
    std::optional<uint64_t> primary_offset;  // what the paused primary reported
    bool handing_over = false;               // the hand-over change is queued
  };
  std::optional<ManualFailover> failover_;
  // A primary's writes held for a replica's manual failover (failover_pause_until_ms()).
  int64_t failover_pause_until_ms_ = -1;
  bool failover_pause_applied_ = false;
  NodeId failover_replica_;
  int64_t next_proposal_ms_ = 0;
  int64_t last_config_request_ms_ = -1;
  int64_t last_tick_ms_ = 0;
  int64_t last_meet_ms_ = -1;
  uint32_t probe_seq_ = 0;
  BusStats stats_;
};

}  // namespace ringcache::cluster
