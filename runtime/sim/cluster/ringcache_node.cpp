// node::Node, the real cache node, on a simulated host. Its cluster view is the server's cluster
// state, read as the node itself reads it.

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "core/cluster/cluster_state.h"
#include "core/node/node.h"
#include "core/server/replication_control.h"
#include "core/store/entry.h"
#include "core/store/keyspace.h"
#include "runtime/sim/cluster/sim_node.h"
#include "runtime/sim/run_digest.h"

namespace ringcache::sim {
namespace {

class RingcacheNode final : public SimNode {
 public:
  RingcacheNode(Runtime& runtime, server::Config config)
      : runtime_(runtime), node_(runtime, std::move(config)) {}

  Status start() override { return node_.start(); }
  uint64_t used_memory() override { return node_.server().keyspace().used_memory(); }
  uint64_t maxmemory() override { return node_.server().config().eviction.maxmemory_bytes; }
  uint64_t keys() override { return node_.server().keyspace().size(); }

  std::optional<ClusterView> cluster_view() override {
    const cluster::ClusterState* state = node_.server().cluster();
    if (state == nullptr) return std::nullopt;
    ClusterView view;
    view.my_id = state->my_id();
    // The committed configuration's entry when a member (a promotion changes the role there
    // first), else what the node asks to be.
    const cluster::ConfigMember* me = state->membership().config().find(state->my_id());
    const cluster::NodeAddress& address = me != nullptr ? *me : state->self();
    view.shard_id = address.shard_id;
    view.role = address.role == cluster::NodeRole::replica ? NodeRole::replica : NodeRole::primary;
    view.epoch = state->slot_map() ? state->slot_map()->epoch() : 0;
    // A leaver out of the configuration stays up until a majority knows it left (it serves no
    // slot meanwhile: serving needs a shard in the map).
    view.member = state->in_cluster();
    view.serving = state->is_member() && state->serving(now_ms());
    view.serving_changes = state->serving_changes();  // after serving(): counts this call too
    view.accepts_writes =
        view.serving && view.role == NodeRole::primary && !node_.server().is_replica();
    const server::ReplicationControl* replication = node_.server().replication();
    view.repl_offset = replication != nullptr ? replication->offset() : 0;
    view.generation = state->data_drops();
    return view;
  }

  std::optional<std::pair<uint64_t, uint64_t>> keyspace_digest() override {
    store::Keyspace& keyspace = node_.server().keyspace();
    // As the keys stand: neither hidden nor deleted for having expired on this node's clock.
    store::ScopedExpiryMode keep(keyspace, store::ExpiryMode::keep_expired);
    std::vector<std::string> lines;
    keyspace.for_each([&](const store::Entry& entry) {
      std::string line(entry.key());
      line += '\0';
      line += std::to_string(static_cast<int>(entry.type()));
      line += '\0';
      if (entry.type() == store::ValueType::string) line += entry.string_value();
      line += '\0';
      line += std::to_string(entry.expire_at_ms());
      lines.push_back(std::move(line));
    });
    std::sort(lines.begin(), lines.end());
    RunDigest digest;
    for (const std::string& line : lines) digest.fold_bytes(line);
    return std::pair<uint64_t, uint64_t>{digest.hash(), lines.size()};
  }

  void cluster_slot_owners(std::vector<std::string>& shards,
                           std::vector<uint16_t>& owners) override {
    shards.clear();
    owners.clear();
    const cluster::ClusterState* state = node_.server().cluster();
    const cluster::SlotMap* map = state ? state->slot_map() : nullptr;
    if (map == nullptr) return;
    shards = map->shards();
    owners.resize(constants::cluster_slots);
    for (uint32_t slot = 0; slot < constants::cluster_slots; ++slot) {
      owners[slot] = static_cast<uint16_t>(map->owner_of(static_cast<cluster::Slot>(slot)));
    }
  }

  void cluster_imported_slots(std::vector<uint8_t>& imported) override {
    imported.clear();
    const cluster::ClusterState* state = node_.server().cluster();
    if (state == nullptr || state->migration_sources().empty()) return;
    imported.resize(constants::cluster_slots, 0);
    for (uint32_t slot = 0; slot < constants::cluster_slots; ++slot) {
      imported[slot] = state->importing_from(static_cast<cluster::Slot>(slot)).has_value();
    }
  }

  void cluster_move_targets(SlotMapCopy& targets) override {
    targets = {};
    const cluster::ClusterState* state = node_.server().cluster();
    if (state == nullptr || state->migration_sources().empty()) return;
    const cluster::SlotMap* serving = state->slot_map();
    const cluster::SlotMap* target = state->target_map();
    if (serving == nullptr || target == nullptr) return;
    targets.shards = target->shards();
    targets.owners.assign(constants::cluster_slots, UINT16_MAX);
    for (uint32_t slot = 0; slot < constants::cluster_slots; ++slot) {
      const auto s = static_cast<cluster::Slot>(slot);
      const size_t to = target->owner_of(s);
      if (serving->shards()[serving->owner_of(s)] != target->shards()[to]) {
        targets.owners[slot] = static_cast<uint16_t>(to);
      }
    }
  }

  std::vector<std::string> cluster_failed_ids() override { return ids_where(true); }
  std::vector<std::string> cluster_known_ids() override { return ids_where(false); }

 private:
  // The node's clock as its cluster code reads it: monotonic milliseconds.
  int64_t now_ms() const { return cluster::cluster_clock_ms(runtime_.now()); }

  std::vector<std::string> ids_where(bool failed_only) {
    std::vector<std::string> ids;
    const cluster::ClusterState* state = node_.server().cluster();
    if (state == nullptr) return ids;
    for (const cluster::NodeView& peer : state->membership().nodes()) {
      if (!failed_only || peer.status == cluster::NodeStatus::failed) {
        ids.push_back(peer.address.node_id);
      }
    }
    return ids;
  }
  Runtime& runtime_;
  node::Node node_;
};

}  // namespace

NodeFactory ringcache_node_factory() {
  return [](Runtime& runtime, const NodeOptions& options) -> Result<std::unique_ptr<SimNode>> {
    server::Config config;
    // Simulated clients connect from their hosts' addresses (10.x), never the loopback: protected
    // mode would turn them all away. A scenario may still set it.
    config.protected_mode = false;
    for (const auto& [name, value] : options) {
      if (Status status = config.set(name, value); !status) return status;
    }
    return std::unique_ptr<SimNode>(std::make_unique<RingcacheNode>(runtime, std::move(config)));
  };
}

}  // namespace ringcache::sim
