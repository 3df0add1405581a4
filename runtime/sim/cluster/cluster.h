#pragma once
// The cache nodes of a run, each a SimNode on its own host ("n0" at 10.0.0.1, ...), with its
// own clock (offset, skew, drift drawn from the seed), and what faults do to nodes: crash,
// restart (on the same disk, or a wiped one), pause and resume. Node events go to the History.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/util/rng.h"
#include "runtime/sim/cluster/sim_node.h"
#include "runtime/sim/sim_disk.h"
#include "runtime/sim/workload/history.h"
#include "runtime/sim/workload/workload.h"

namespace ringcache::sim {

class Simulation;
class SimRuntime;
struct Host;

// A node's role (NodeRole, sim_node.h) as the scenario starts it: `[cluster] roles`, or in a
// cluster with `replicas` per shard the replicas follow their shard's primary.
const char* role_name(NodeRole role);

// A planned join: the next `nodes` late nodes boot at `at_ns` and join the cluster.
struct JoinEvent {
  int64_t at_ns = 0;
  int nodes = 1;
};

// A graceful leave: at `at_ns` the simulator sends node `node` `CLUSTER LEAVE`, as an operator's
// client would (retrying until the node accepts it); once the node is out of the configuration
// it is stopped for good (cluster/planned_leaves.h).
struct LeaveEvent {
  int64_t at_ns = 0;
  int node = 0;
};

// A manual failover: at `at_ns` the simulator sends node `node` (a replica) `CLUSTER FAILOVER`
// (with FORCE when `force`), retrying until the node is its shard's primary
// (cluster/planned_failovers.h).
struct FailoverEvent {
  int64_t at_ns = 0;
  int node = 0;
  bool force = false;
};

// Cluster mode: every node gets `cluster-enabled yes`, its bus port and the seeds (the bus
// addresses of the first `seeds` nodes), so the nodes form one cluster; the last `late_nodes`
// nodes boot only at `join_at_ns` and join it, and `joins` add more late nodes (taken from the
// end of the node list, the earliest join first, after `late_nodes`).
struct ClusterModeOptions {
  bool enabled = false;
  uint16_t bus_port_offset = 10000;  // the bus listens on port + offset
  int seeds = 3;
  int late_nodes = 0;
  int64_t join_at_ns = 0;
  std::vector<JoinEvent> joins;    // in time order
  std::vector<LeaveEvent> leaves;  // in time order
  std::vector<FailoverEvent> failovers;  // in time order
  // Every late node, `late_nodes` and the joins together.
  int late_total() const;
};

struct ClusterOptions {
  int nodes = 1;
  ClusterModeOptions mode;
  std::vector<NodeRole> roles;  // by node index; empty: every node a primary
  // Cluster mode: replicas per shard. The first nodes / (replicas + 1) nodes are the shards'
  // primaries; node i after them is a replica of primary (i - shards) mod shards, started with
  // `cluster-replica-of` that primary's client address (its roles are set to match).
  int replicas = 0;
  NodeOptions config;  // redis.conf options for every node
  uint16_t port = 6379;
  int64_t clock_skew_ms_max = 0;  // wall clock offset drawn in [-max, max]
  int64_t drift_ppm_max = 0;      // drift drawn in [-max, max]
  DiskOptions disk;               // every node's disk: latency, faults, crash model
  int64_t view_sample_ns = 1'000'000;      // cluster mode: how often node views are read
  int64_t overlap_margin_ns = 1'000'000'000;  // two claimants of a slot: node timeout + this
};

class Cluster {
 public:
  Cluster(Simulation& sim, ClusterOptions options, NodeFactory factory, History& history,
          uint64_t seed);
  ~Cluster();

  // Adds the node hosts and boots every node.
  void start();
  int size() const { return static_cast<int>(slots_.size()); }
  Host& host(int index);
  // The running node, or nullptr while it is down or still starting.
  SimNode* node(int index);
  SimRuntime* process(int index);
  bool up(int index);
  bool paused(int index);
  // Whether the node is a primary now: the role its committed configuration gives it while it
  // is up and a member (a promoted replica is a primary), else its role from the scenario.
  bool primary(int index);
  // The primary node `index` was started to follow (replicas per shard), or -1.
  int replica_of(int index) const;
  // Cluster mode: the node boots only at the join time (it has not joined yet when false).
  bool joins_late(int index) const;
  // When a late node boots (0 for the others).
  int64_t join_at_ns(int index) const;
  bool joined(int index) const;
  // A graceful leave was asked of the node (and not refused): whatever it hands off is a planned
  // move. Cleared when the node refuses it.
  bool leaving(int index) const;
  void set_leaving(int index, bool leaving);
  // The node left gracefully and was stopped for good: no fault, restart or liveness phase
  // brings it back, and no checker expects it to serve.
  bool departed(int index) const;
  // Stops a node that left the cluster, for good (its process ends as in a crash).
  void retire(int index);
  const ClusterOptions& options() const { return options_; }

  // Crashes the node; it stays down until restart().
  void crash(int index);
  // Crashes the node if it runs, then boots it again once its fibers have ended; `wipe` first
  // replaces its disk with an empty one.
  void restart(int index, bool wipe = false);
  // Boots the node if it is down and no restart is on its way (a crash fault's end: the node
  // may have been restarted by another fault meanwhile).
  void start_if_down(int index);
  void pause(int index);
  void resume(int index);
  // Resumes paused nodes and boots crashed ones: the start of the liveness phase.
  void recover_all();
  // Ends every process (nodes and clients) and waits until their fibers have ended.
  bool shutdown();

  std::vector<Target> targets() const;
  // Option lines for the run report ("n0 clock: offset=... skew=... drift=...").
  std::vector<std::string> describe() const;
  // Problems outside the checkers' view: a node that failed to start.
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  struct Slot;
  void assign_join_times();
  void boot(int index);
  void add_cluster_options(int index, NodeOptions& options) const;
  void quiesced(int index, SimRuntime* runtime);

  Simulation& sim_;
  ClusterOptions options_;
  NodeFactory factory_;
  History& history_;
  Rng rng_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<std::string> errors_;
};

}  // namespace ringcache::sim
