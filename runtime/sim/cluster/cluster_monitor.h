#pragma once
// Samples every node's own view of the cluster (SimNode::cluster_view) while the run goes, and
// records what the cluster checkers read (check/cluster_record.h): which node claimed which
// slot when, slots that changed hands, two claimants of one slot beyond the allowed window, and
// whether the cluster has settled (one map everywhere, every slot served). It also measures the
// membership's speed: how long until every live node marks a crashed node failed, and until
// every node knows a node that joined late.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/sim/check/cluster_record.h"
#include "runtime/sim/cluster/handoff_classifier.h"
#include "runtime/sim/workload/history.h"

namespace ringcache::sim {

class SimNode;
struct ClusterView;

class World;
class Cluster;

struct ClusterMonitorOptions {
  int64_t sample_ns = 10'000'000;
  int64_t allowed_overlap_ns = 0;       // contact window plus a margin
  int64_t node_timeout_ns = 0;          // cluster-node-timeout, for the failover checkers
  int64_t watch_every_ns = 50'000'000;  // how often failure and join marks are read
};

class ClusterMonitor {
 public:
  ClusterMonitor(World& world, Cluster& cluster, const History& history,
                 ClusterMonitorOptions options);
  ~ClusterMonitor();

  // Samples every options.sample_ns from now on.
  void start();
  // One map everywhere and every slot served (as of the last sample).
  bool settled() const { return converged_ && claimed_slots_ == slot_count_; }
  // Closes what is still open and fills the end-of-run fields; call once, before reading.
  const ClusterRecord& finish();
  // Replicas: whether every up replica member has its shard's accepting primary's keyspace
  // digest, as of the last check (watch_replicas must be on; checked every watch period).
  void watch_replicas() { replicas_watched_ = true; }
  bool replicas_converged() const { return replicas_converged_; }
  // Readable measurements ("cluster formed at ...", failure and join propagation times).
  const std::vector<std::string>& metrics() const { return metrics_; }

 private:
  struct NodeState;
  struct Watch;
  struct Handoff;
  void schedule();
  void sample();
  // Reads node `index`'s view; true when anything the record tracks changed.
  bool update(int index, int64_t now_ns, int64_t prev_ns);
  void apply_slots(int index, NodeState& state, const std::vector<uint8_t>& owned, bool claiming,
                   const Handoff& handoff, bool may_have_served, int64_t now_ns,
                   int64_t prev_ns);
  void record_undone_moves(int index, NodeState& state, const SlotMapCopy& previous,
                           SimNode* node, int64_t now_ns, int64_t prev_ns);
  // The ids of the nodes asked to leave gracefully (or gone after leaving), but for `failed`.
  std::vector<std::string> leaving_ids(const std::vector<std::string>& failed) const;
  void claim(int index, uint16_t slot, bool on, int64_t now_ns, int64_t prev_ns);
  void refresh_convergence();
  void check_overlaps(int64_t now_ns);
  void start_watches(int index, const NodeState& before, int64_t now_ns);
  void progress_watches(int64_t now_ns);
  int64_t last_event_ns(int node, NodeEvent::Kind kind, int64_t fallback) const;
  // Replicas: writer and shard-membership intervals, promotions, unserved shards.
  void track_shards(int index, NodeState& state, const ClusterView* view, bool writer,
                    int64_t now_ns, int64_t prev_ns);
  void close_writer(int index, NodeState& state, int64_t now_ns);
  void watch_unserved_shards(int64_t now_ns);
  void watch_declared_failures(int64_t now_ns);
  bool check_replicas();
  void record_final_nodes();

  World& world_;
  Cluster& cluster_;
  const History& history_;
  ClusterMonitorOptions options_;
  const uint32_t slot_count_;
  ClusterRecord record_;
  std::vector<NodeState> nodes_;
  HandoffClassifier handoffs_;
  std::vector<uint16_t> claimants_;     // by slot
  std::vector<int64_t> overlap_since_;  // by slot; -1: at most one claimant
  std::vector<uint8_t> overlap_reported_;
  uint32_t claimed_slots_ = 0;
  uint32_t open_overlaps_ = 0;  // slots with two claimants or more
  bool converged_ = false;
  bool formed_reported_ = false;
  int64_t last_sample_ns_ = 0;
  int64_t next_watch_ns_ = 0;
  std::vector<Watch> watches_;
  std::vector<std::string> metrics_;
  // Shards without a primary accepting writes: since when, the node id of the last one, and
  // when some node first held that one failed (-1: not yet).
  struct Unserved {
    int64_t since_ns = 0;
    std::string last_primary;
    int64_t declared_ns = -1;
  };
  std::map<std::string, Unserved> unserved_;
  std::vector<uint8_t> held_failed_;  // by node: some live node holds it failed
  bool replicas_watched_ = false;
  bool replicas_converged_ = false;
  bool finished_ = false;
};

}  // namespace ringcache::sim
