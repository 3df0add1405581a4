#pragma once
// The node's cluster bus (cluster-enabled yes): one fiber that reads the cluster config file,
// owns the ClusterState, receives datagrams on cluster-port until the next tick is due, feeds
// them and the ticks to the membership engine, persists what must survive a restart before
// anything it decided leaves, and sends what the engine returns. When the committed
// configuration takes slots away from this node (neither served nor imported here), it drops
// their keys; once a configuration without it commits, or it becomes the primary of a shard other
// than the one its keys came from, it drops every key (it never serves stale data). Planned moves
// stream keys instead (slot_migration.h).

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/cluster/cluster_state.h"
#include "core/node/node_state.h"
#include "core/node/slot_migration.h"
#include "core/runtime.h"

namespace ringcache::node {

class ClusterBus {
 public:
  explicit ClusterBus(NodeState& node) : node_(node) {}

  // Binds the bus socket on the bind address and `port`; never suspends, so Node::start fails
  // at once when the port is taken. The socket is NodeState::bus_socket (shutdown closes it).
  Status open(uint16_t port);
  // The fiber's body: returns once the socket is closed.
  void run();

 private:
  void register_metrics();
  int64_t now_ms() const;
  cluster::ClusterStateOptions state_options() const;
  Result<std::optional<cluster::NodeFile>> read_node_file();
  Status write_node_file(const cluster::NodeFile& file);
  void after_engine(std::vector<cluster::Outgoing> out, int64_t now_ms);
  void send(const std::vector<cluster::Outgoing>& out);
  void follow_committed_role();
  void hold_clients_for_manual_failover();
  void keep_one_shards_history();
  void drop_unowned_keys();
  void drop_every_key(std::string_view why);

  NodeState& node_;
  std::unique_ptr<cluster::ClusterState> state_;
  std::unique_ptr<SlotMigrator> migrator_;  // its fiber starts with the state
  cluster::NodeFile saved_;
  uint64_t keys_checked_for_epoch_ = 0;  // the map whose unowned keys were dropped last
  cluster::NodeId history_shard_;  // the shard whose writes the keyspace holds (see .cpp)
  bool departure_logged_ = false;
  bool clients_held_for_failover_ = false;  // clients paused for a replica's takeover
  uint64_t failovers_abandoned_logged_ = 0;
};

}  // namespace ringcache::node
