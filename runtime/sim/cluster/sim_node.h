#pragma once
// What the simulator needs from a cache node running on a simulated host: start it, and read
// the state checkers look at (memory, keys, and in cluster mode its view of the cluster). The real node::Node is plugged in through this interface
// (ringcache_node.cpp); a tiny built-in server (toy_node.cpp) lets the simulator test itself.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/runtime.h"
#include "runtime/sim/cluster/handoff_classifier.h"

namespace ringcache::sim {

// redis.conf options as (name, value) pairs, in the order given.
using NodeOptions = std::vector<std::pair<std::string, std::string>>;

// What a node is in its shard: its primary, or one of its replicas.
enum class NodeRole { primary, replica };

// A node's view of its cluster, cheap to read: the cluster monitor samples it often and asks for
// the slot owners only when the epoch (or the node id) changed.
struct ClusterView {
  std::string my_id;     // this node's node id
  // The shard it belongs to in its committed configuration (the slot map names shards by
  // these ids; a shard keeps its first primary's id for life) and its role there. Outside the
  // configuration: the shard it asks to join.
  std::string shard_id;
  NodeRole role = NodeRole::primary;
  uint64_t epoch = 0;    // of the configuration its slot map comes from (0: none yet)
  bool member = false;   // in that configuration
  bool serving = false;  // would serve the slots it owns now (a primary's only)
  // How often the node's own serving answer changed, counted by the node whenever it asked
  // (0 when the node does not count): the monitor's samples miss a shorter moment of serving.
  uint64_t serving_changes = 0;
  // Would accept a write now: a serving primary member whose replication is not following
  // anyone (docs/replication.md, "What the simulator adapter must read").
  bool accepts_writes = false;
  // The replication offset it produced (a primary) or applied (a replica).
  uint64_t repl_offset = 0;
  // Changes whenever the node dropped all its data while up (out of the configuration after
  // being declared failed): the monitor treats it as losing every slot it held.
  uint64_t generation = 0;
};

class SimNode {
 public:
  virtual ~SimNode() = default;
  // Starts listening on bind:port and the node's fibers. Runs in a fiber of the node.
  virtual Status start() = 0;
  // Bytes the keyspace accounts for, and the configured limit (0: none).
  virtual uint64_t used_memory() = 0;
  virtual uint64_t maxmemory() = 0;
  virtual uint64_t keys() = 0;
  // Cluster mode: the node's view; nullopt without cluster mode (or before its state exists).
  virtual std::optional<ClusterView> cluster_view() { return std::nullopt; }
  // The shard ids of the configuration (`shards`) and each slot's owner as an index into it
  // (`owners`, one per slot); both emptied when the node has no slot map.
  virtual void cluster_slot_owners(std::vector<std::string>& shards,
                                   std::vector<uint16_t>& owners) {
    shards.clear();
    owners.clear();
  }
  // Slots whose keys this node receives without serving them yet (a joiner importing them):
  // not claims, but a crash or data reset of the node loses what reached it (one per slot,
  // nonzero where imported; emptied when there are none).
  virtual void cluster_imported_slots(std::vector<uint8_t>& imported) { imported.clear(); }
  // Where each slot is moving in this node's view (a planned move in flight): the target map's
  // shards, and by slot the index of the shard its keys stream to, or an index past the shards
  // where the serving and target owners agree; empty when nothing moves. A move undone, or sent
  // to another target, before the switch (its target removed) loses what had reached it.
  virtual void cluster_move_targets(SlotMapCopy& targets) { targets = {}; }
  // A digest of the keyspace as it stands (every key, in key order, with its type, value and
  // absolute expiry; expired keys not yet deleted included, as a replica keeps them until its
  // primary's DEL) and the key count: a replica that caught up with its primary has its digest.
  virtual std::optional<std::pair<uint64_t, uint64_t>> keyspace_digest() { return std::nullopt; }
  // The ids of the nodes this node believes failed (suspected ones not included).
  virtual std::vector<std::string> cluster_failed_ids() { return {}; }
  // Every node this node knows of, failed or not (for join propagation).
  virtual std::vector<std::string> cluster_known_ids() { return {}; }
};

using NodeFactory =
    std::function<Result<std::unique_ptr<SimNode>>(Runtime& runtime, const NodeOptions& options)>;

// "ringcache" (node::Node, when it is built) or "toy"; nullptr for an unknown kind.
NodeFactory node_factory(const std::string& kind);
// Kinds available in this build, for error messages.
std::vector<std::string> node_kinds();

}  // namespace ringcache::sim
