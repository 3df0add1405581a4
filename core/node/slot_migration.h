#pragma once
// The source's side of a planned ownership change (docs/cluster.md, "Ownership changes"): one
// fiber per node that, while the committed configuration's serving and target maps differ for
// slots this node serves, streams their keys to each target node over its client port, then
// tells the nodes that end the move that none are left.
//
// For each target, in the configuration of one epoch:
//   * walk the keyspace with the SCAN cursor; the keys of slots moving to the target are
//     written as the commands that rebuild them (each preceded by a DEL), a batch at a time;
//   * a batch's keys are locked (client commands that touch them wait) from the moment they are
//     copied until the target acknowledged the batch, then deleted here (propagated as DEL);
//     later commands find them missing and are sent to the target with -ASK;
//   * the batch travels as CLUSTER IMPORT chunks, paced by cluster-migration-rate, and the
//     target applies it in one step when the last chunk arrives; each chunk says how old the
//     batch is, which the target takes off the TTLs, so the wait does not lengthen them;
//   * a source with replicas online moves keys only to a target whose replicas keep them too:
//     before each pass the target must have as many replicas acknowledging (WAIT; a target
//     short of them is waited for a bounded time per configuration), and after each batch the
//     source waits for them to hold it before deleting its copies;
//   * passes repeat until one finds nothing to move (a missing key of a migrating slot is
//     created on the target, never here, so this ends);
//   * then CLUSTER MIGRATION-DONE to every node that ends the move (the joiners, or the leaver),
//     repeated until the configuration changes.
// Any error (refused connection, a refused batch, a configuration change, a batch that waits
// too long) unlocks the batch's keys, which stay here, and the walk starts again later.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/cluster/cluster_state.h"
#include "core/node/node_state.h"
#include "core/runtime.h"

namespace ringcache::node {

class SlotMigrator {
 public:
  SlotMigrator(NodeState& node, cluster::ClusterState& state);

  // The fiber's body: returns once the node shuts down (or stop() was called).
  void run();
  // The committed configuration changed: plan again at once, and drop a connection to a node
  // that is no longer a target (a failed target must not hold the batch's keys).
  void wake();
  // From the bus fiber's tick: abandons a batch unacknowledged for too long.
  void check(int64_t now_ms);
  void stop();

 private:
  struct Batch {
    std::vector<std::string> keys;
    std::string payload;  // the commands that rebuild the keys, RESP-encoded
    Instant collected{};  // when the payload's relative TTLs were computed
  };

  bool stopping() const;
  bool epoch_is(uint64_t epoch) const;
  Status round(uint64_t epoch);
  Status migrate_to(const cluster::NodeId& target, uint64_t epoch);
  Status connect_to(const cluster::NodeId& target);
  Result<size_t> pass(const cluster::NodeId& target, uint64_t epoch);
  uint64_t collect(const cluster::NodeId& target, uint64_t cursor, Batch& batch);
  Status send_batch(uint64_t epoch, Batch& batch);
  Status send_chunks(uint64_t epoch, const Batch& batch, size_t& replies);
  void delete_moved(const std::vector<std::string>& keys);
  Status command(const std::vector<std::string>& argv);
  size_t replicas_online() const;
  Status target_ready(const cluster::NodeId& target);
  Result<size_t> target_replicas_holding(size_t wanted);
  Result<std::string> read_reply();
  Result<std::string> read_line();
  void pace(size_t bytes);
  void disconnect();
  void wait_ms(int64_t ms);

  NodeState& node_;
  cluster::ClusterState& state_;
  std::unique_ptr<WaitQueue> wakeup_;
  std::unique_ptr<Stream> stream_;
  cluster::NodeId stream_target_;
  std::string replies_;  // bytes read from the target not yet parsed
  std::set<cluster::NodeId> drained_;  // targets with nothing left to move, in drained_epoch_
  uint64_t drained_epoch_ = 0;
  Instant next_send_{};
  std::optional<int64_t> batch_started_ms_;
  // Target -> when it was first found short of replicas, in drained_epoch_.
  std::map<cluster::NodeId, int64_t> short_targets_;
  bool stopped_ = false;
};

}  // namespace ringcache::node
