#include "core/cluster/cluster_state.h"

#include <algorithm>
#include <utility>

#include "core/util/assert.h"

namespace ringcache::cluster {
namespace {

MembershipOptions membership_options(const ClusterStateOptions& options,
                                     const NodeFile& identity) {
  MembershipOptions membership;
  NodeAddress& self = membership.self;
  self.node_id = identity.my_id;
  self.shard_id = identity.shard_id;
  self.role = NodeRole::primary;
  self.ip = options.announce_ip;
  self.client_port = options.client_port;
  self.bus_port = options.bus_port;
  membership.node_timeout_ms = options.node_timeout_ms;
  membership.config = identity.config;
  membership.incarnation = identity.incarnation;
  membership.last_voted_epoch = identity.last_voted_epoch;
  const BusAddress me{options.announce_ip, options.bus_port};
  for (const BusAddress& seed : options.seeds) {
    if (seed != me) membership.seeds.push_back(seed);
  }
  return membership;
}

NodeFile identity_of(const std::optional<NodeFile>& stored, Rng& rng) {
  if (stored) return *stored;
  NodeFile fresh;
  fresh.my_id = random_node_id(rng);
  fresh.shard_id = fresh.my_id;  // a primary's shard is named after it
  return fresh;
}

// The node that creates a new cluster: the first seed of the list every node is given, or a
// node given no seeds at all (a cluster of one, which CLUSTER MEET can later merge away).
bool creates_cluster(const ClusterStateOptions& options) {
  if (options.seeds.empty()) return true;
  const BusAddress& first = options.seeds.front();
  return first.port == options.bus_port && first.ip == options.announce_ip;
}

}  // namespace

ClusterState::ClusterState(ClusterStateOptions options, std::optional<NodeFile> stored, Rng& rng,
                           int64_t now_ms)
    : options_(std::move(options)),
      membership_(membership_options(options_, identity_of(stored, rng)), now_ms) {
  const bool has_config = stored && !stored->config.empty();
  if (!has_config && creates_cluster(options_)) {
    // With other seeds to ask, first give them the chance to say a cluster exists.
    bootstrap_at_ms_ = options_.seeds.size() <= 1 ? now_ms
                                                 : now_ms + constants::cluster_bootstrap_wait_ms;
  }
  refresh(now_ms);
}

NodeFile ClusterState::node_file() const {
  return NodeFile{my_id(), self().shard_id, membership_.incarnation(),
                  membership_.last_voted_epoch(), membership_.config()};
}

bool ClusterState::refresh(int64_t now_ms) {
  const ClusterConfig& config = membership_.config();
  if (bootstrap_at_ms_ && config.empty() && now_ms >= *bootstrap_at_ms_) {
    const Status created = membership_.bootstrap();
    RING_ASSERT_MSG(created.is_ok(), "a node without a configuration can create one");
  }
  if (!config.empty()) bootstrap_at_ms_.reset();
  if (is_member()) join_requested_ = false;
  if (!config.empty() && !is_member() && !leaving_ && !join_requested_ &&
      membership_.self_state() == SelfState::active) {
    // Retried by the engine until committed; asked again only after a rejoin or removal.
    join_requested_ = membership_.propose_add(self()).is_ok();
  }
  if (config.empty() || (slot_map_ && slot_map_->epoch() == config.epoch)) return false;
  std::vector<std::string> shards;
  for (const ConfigMember& member : config.members) {
    if (member.role == NodeRole::primary) shards.push_back(member.shard_id);
  }
  if (shards.empty()) {  // the last member left: nobody owns a slot
    slot_map_.reset();
    my_shard_.reset();
    return true;
  }
  Result<SlotMap> map = SlotMap::compute(std::move(shards), options_.vnodes, config.epoch);
  RING_ASSERT_MSG(map.is_ok(), "a committed configuration has valid, distinct shard ids");
  slot_map_ = std::move(map).value();
  my_shard_ = is_member() ? slot_map_->index_of(self().shard_id) : std::nullopt;
  return true;
}

void ClusterState::rejoin(int64_t now_ms) {
  membership_.rejoin(now_ms);
  join_requested_ = false;
  refresh(now_ms);
}

bool ClusterState::owns(Slot slot) const {
  return my_shard_ && slot_map_->owner_of(slot) == *my_shard_;
}

bool ClusterState::serving(int64_t now_ms) const {
  return my_shard_.has_value() && is_member() && membership_.has_quorum_contact(now_ms);
}

bool ClusterState::state_ok(int64_t now_ms) const {
  if (!slot_map_ || !serving(now_ms)) return false;
  for (size_t shard = 0; shard < slot_map_->shards().size(); ++shard) {
    const ConfigMember* member = shard_address(shard).member;
    if (member == nullptr) return false;
    if (member->node_id == my_id()) continue;
    const std::optional<NodeView> view = membership_.node(member->node_id);
    if (view && (view->status == NodeStatus::failed || view->status == NodeStatus::left)) {
      return false;
    }
  }
  return true;
}

ShardAddress ClusterState::shard_address(size_t shard) const {
  ShardAddress address;
  if (!slot_map_ || shard >= slot_map_->shards().size()) return address;
  const std::string& shard_id = slot_map_->shards()[shard];
  for (const ConfigMember& member : membership_.config().members) {
    if (member.shard_id == shard_id && member.role == NodeRole::primary) {
      address.member = &member;
      break;
    }
  }
  if (address.member == nullptr) return address;
  address.ip = address.member->ip;
  if (!address.ip.empty()) return address;
  if (address.member->node_id == my_id()) {
    address.ip = options_.announce_ip;
  } else if (std::optional<NodeView> view = membership_.node(address.member->node_id)) {
    address.ip = view->address.ip;
  }
  return address;
}

uint32_t ClusterState::owned_slot_count() const {
  if (!my_shard_) return 0;
  return slot_map_->slot_counts()[*my_shard_];
}

Status ClusterState::leave() {
  const ClusterConfig& config = membership_.config();
  if (!is_member()) return Status(Errc::invalid_argument, "this node is not a cluster member");
  if (config.members.size() == 1) {
    return Status(Errc::invalid_argument, "the last node of a cluster cannot leave it");
  }
  leaving_ = true;
  return membership_.propose_remove(my_id());
}

void ClusterState::meet(const BusAddress& address, int64_t now_ms) {
  const ClusterConfig& config = membership_.config();
  if (is_member() && config.members.size() == 1) {
    // Alone in the cluster it created: it gives that up and joins the met node's cluster (the
    // engine only adopts configurations of its own cluster).
    NodeFile identity = node_file();
    identity.config = ClusterConfig{};
    ++identity.incarnation;
    membership_ = Membership(membership_options(options_, identity), now_ms);
    slot_map_.reset();
    my_shard_.reset();
    join_requested_ = false;
    bootstrap_at_ms_.reset();
  }
  for (Outgoing& outgoing : membership_.meet(address, now_ms)) {
    outbox_.push_back(std::move(outgoing));
  }
}

std::vector<Outgoing> ClusterState::take_outbox() { return std::exchange(outbox_, {}); }

size_t ClusterState::known_node_count() const {
  size_t known = 1;  // this node
  for (const NodeView& view : membership_.nodes()) {
    if (view.status != NodeStatus::failed && view.status != NodeStatus::left) ++known;
  }
  return known;
}

}  // namespace ringcache::cluster
