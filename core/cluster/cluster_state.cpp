#include "core/cluster/cluster_state.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
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

// The primary member that names `shard_id`.
const ConfigMember* shard_member(const ClusterConfig& config, const std::string& shard_id) {
  for (const ConfigMember& member : config.members) {
    if (member.shard_id == shard_id && member.role == NodeRole::primary) return &member;
  }
  return nullptr;
}

}  // namespace

ClusterState::ClusterState(ClusterStateOptions options, std::optional<NodeFile> stored, Rng& rng,
                           int64_t now_ms)
    : options_(std::move(options)),
      membership_(membership_options(options_, identity_of(stored, rng)), now_ms) {
  const bool has_config = stored && !stored->config.empty();
  stepping_down_ = has_config && options_.restarts_empty && stored->config.is_primary(stored->my_id);
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
  step_down_if_empty();
  adopt_committed_role();
  // Asked again in each new configuration: where to join may have changed (a node restarted on
  // an old configuration asks to found a shard, then learns of a shard it should follow).
  if (!config.empty() && !is_member() && !leaving_ &&
      (!join_requested_ || join_asked_epoch_ != config.epoch) &&
      membership_.self_state() == SelfState::active) {
    request_join();
  }
  lead_orphaned_shard();
  const bool changed = !config.empty() && maps_epoch_ != config.epoch;
  if (changed) {
    maps_epoch_ = config.epoch;
    rebuild_maps();
  }
  finish_move();
  return changed;
}

namespace {

// The map of the primaries `in_map` admits, and `self`'s index in it.
std::optional<SlotMap> map_of(const ClusterConfig& config, uint32_t vnodes,
                              bool (*in_map)(MemberState)) {
  std::vector<std::string> shards;
  for (const ConfigMember& member : config.members) {
    if (member.role == NodeRole::primary && in_map(member.state)) shards.push_back(member.shard_id);
  }
  if (shards.empty()) return std::nullopt;  // nobody owns a slot
  Result<SlotMap> map = SlotMap::compute(std::move(shards), vnodes, config.epoch);
  RING_ASSERT_MSG(map.is_ok(), "a committed configuration has valid, distinct shard ids");
  return std::move(map).value();
}

}  // namespace

void ClusterState::rebuild_maps() {
  const ClusterConfig& config = membership_.config();
  slot_map_ = map_of(config, options_.vnodes, in_serving_map);
  target_map_ = map_of(config, options_.vnodes, in_target_map);
  my_shard_.reset();
  my_target_shard_.reset();
  // Slots are a primary's: a replica's shard owns them, the replica itself does not.
  const ConfigMember* found = config.find(my_id());
  const ConfigMember* me = found != nullptr && found->role == NodeRole::primary ? found : nullptr;
  if (slot_map_ && me && in_serving_map(me->state)) my_shard_ = slot_map_->index_of(me->shard_id);
  if (target_map_ && me && in_target_map(me->state)) {
    my_target_shard_ = target_map_->index_of(me->shard_id);
  }
  targets_.clear();
  sources_.clear();
  finishers_.clear();
  for (const ConfigMember& member : config.members) {
    if (member.state != MemberState::active) finishers_.push_back(member.node_id);
  }
  if (!slot_map_ || !target_map_) return;
  std::set<NodeId> targets;
  std::set<NodeId> sources;
  for (Slot slot = 0; slot < constants::cluster_slots; ++slot) {
    const size_t serving = slot_map_->owner_of(slot);
    const size_t target = target_map_->owner_of(slot);
    const std::string& from = slot_map_->shards()[serving];
    const std::string& to = target_map_->shards()[target];
    if (from == to) continue;
    const ConfigMember* source = shard_member(config, from);
    if (source != nullptr) sources.insert(source->node_id);
    const ConfigMember* destination = shard_member(config, to);
    if (my_shard_ == serving && destination != nullptr) targets.insert(destination->node_id);
  }
  targets_.assign(targets.begin(), targets.end());
  sources_.assign(sources.begin(), sources.end());
}

bool ClusterState::every_source_reported() const {
  const uint64_t epoch = membership_.config().epoch;
  return std::all_of(sources_.begin(), sources_.end(), [&](const NodeId& id) {
    auto it = sources_done_.find(id);
    return it != sources_done_.end() && it->second == epoch;
  });
}

// Once every source reported for the committed epoch, the finishers end the move in one
// configuration change: a joiner asks for every joiner to become active (all at once: one of
// them alone would change the serving map under the others' moves), the leaver for its own
// removal. Once per epoch (the engine drops such a change when another configuration is
// committed first: the sources' reports held for the epoch they named only).
void ClusterState::finish_move() {
  const ClusterConfig& config = membership_.config();
  const std::optional<MemberState> state = member_state();
  if (!state || membership_.self_state() != SelfState::active ||
      move_end_proposed_epoch_ == config.epoch) {
    return;
  }
  if (*state == MemberState::joining && every_source_reported()) {
    move_end_proposed_epoch_ = config.epoch;
    for (const ConfigMember& member : config.members) {
      if (member.state == MemberState::joining) {
        (void)membership_.propose_add(ConfigMember(member, MemberState::active));
      }
    }
  } else if (leaving_ && *state == MemberState::active && !leave_requested_) {
    // Retried by the engine until committed (after the move in flight, if any).
    leave_requested_ = membership_.propose_add(ConfigMember(self(), MemberState::leaving)).is_ok();
  } else if (leaving_ && *state == MemberState::leaving && every_source_reported()) {
    move_end_proposed_epoch_ = config.epoch;
    (void)membership_.propose_remove(my_id());
  }
}

// A replica member whose shard has no primary in the configuration (it was added on a
// configuration where the shard had one, and committed after the shard's primary was removed
// with nobody to promote) would follow nobody for good: it asks, once per epoch, to join as a
// primary of a shard named after itself, as a new primary does.
void ClusterState::lead_orphaned_shard() {
  const ClusterConfig& config = membership_.config();
  const ConfigMember* me = config.find(my_id());
  if (me == nullptr || me->role != NodeRole::replica || config.primary_of(me->shard_id) != nullptr ||
      membership_.self_state() != SelfState::active || orphan_asked_epoch_ == config.epoch) {
    return;
  }
  orphan_asked_epoch_ = config.epoch;
  ConfigMember primary(self(), MemberState::joining);
  primary.role = NodeRole::primary;
  primary.shard_id = my_id();
  (void)membership_.propose_add(primary);
}

// Retried by the engine until committed; asked again after a rejoin or removal, and in each new
// configuration until committed. A node that wants to be a replica joins as one (active at once:
// it imports nothing) once it knows its primary's shard, and never as a primary meanwhile.
void ClusterState::request_join() {
  join_asked_epoch_ = membership_.config().epoch;
  const std::optional<NodeId> shard = wanted_shard();
  if (!shard) {
    if (wants_replica()) return;  // its primary is not in the configuration (yet)
    // A primary's shard is named after it (a former replica must not reuse its old shard's name).
    membership_.set_self_role(NodeRole::primary, my_id());
    join_requested_ = membership_.propose_add(ConfigMember(self(), MemberState::joining)).is_ok();
    return;
  }
  membership_.set_self_role(NodeRole::replica, *shard);
  join_requested_ = membership_.propose_add(ConfigMember(self(), MemberState::active)).is_ok();
}

std::optional<NodeId> ClusterState::wanted_shard() const {
  const ClusterConfig& config = membership_.config();
  if (replica_shard_) {
    if (config.primary_of(*replica_shard_) != nullptr) return replica_shard_;
    return std::nullopt;
  }
  if (!options_.replica_of_ip.empty()) {
    // A member that announces no ip is matched on the address its datagrams come from. The
    // node named may have become a replica since (its shard failed over): its shard is followed.
    for (const ConfigMember& member : config.members) {
      if (member.node_id != my_id() && member.client_port == options_.replica_of_port &&
          member_address(member.node_id).ip == options_.replica_of_ip &&
          config.primary_of(member.shard_id) != nullptr) {
        return member.shard_id;
      }
    }
    return std::nullopt;
  }
  // A member removed while its shard lived on (a failed primary whose replica took over, or a
  // failed replica) comes back as a replica of that shard: its keys may lack writes the shard
  // took since, so it resyncs from the shard's primary rather than claim slots of its own.
  const ConfigMember* primary = config.primary_of(self().shard_id);
  if (primary != nullptr && primary->node_id != my_id()) return self().shard_id;
  if (rejoined_) return shard_short_of_replicas();
  return std::nullopt;
}

// Where some shards run replicas, slot moves into a shard wait until it has replicas too
// (node/slot_migration.h). A joining primary without any (one that leads an orphaned shard)
// would hold every other change back: a node free to follow it does, rather than found a shard
// whose own move would wait behind that one. The lowest-id such primary's shard, if any.
std::optional<NodeId> ClusterState::shard_short_of_replicas() const {
  const ClusterConfig& config = membership_.config();
  bool replicas_run = false;
  const ConfigMember* lonely = nullptr;
  for (const ConfigMember& member : config.members) {
    if (member.role == NodeRole::replica) replicas_run = true;
    if (member.role != NodeRole::primary || member.state != MemberState::joining ||
        member.node_id == my_id() || !config.replicas_of(member.shard_id).empty()) {
      continue;
    }
    if (lonely == nullptr || member.node_id < lonely->node_id) lonely = &member;
  }
  if (!replicas_run || lonely == nullptr) return std::nullopt;
  return lonely->shard_id;
}

// A member advertises the role and shard its committed configuration gives it (after a restart,
// or a promotion).
void ClusterState::adopt_committed_role() {
  const ConfigMember* me = membership_.config().find(my_id());
  if (me != nullptr) membership_.set_self_role(me->role, me->shard_id);
}

bool ClusterState::is_replica() const {
  const ConfigMember* me = membership_.config().find(my_id());
  return me != nullptr && me->role == NodeRole::replica;
}

bool ClusterState::replicates(Slot slot) const {
  if (!slot_map_ || !is_replica()) return false;
  const std::optional<size_t> shard = slot_map_->index_of(self().shard_id);
  return shard && slot_map_->owner_of(slot) == *shard;
}

std::optional<ShardAddress> ClusterState::primary_to_follow() const {
  if (!is_replica()) return std::nullopt;
  const ConfigMember* primary = membership_.config().primary_of(self().shard_id);
  if (primary == nullptr) return std::nullopt;
  return member_address(primary->node_id);
}

std::vector<const ConfigMember*> ClusterState::replicas_of_shard(size_t shard) const {
  if (!slot_map_ || shard >= slot_map_->shards().size()) return {};
  return membership_.config().replicas_of(slot_map_->shards()[shard]);
}

Status ClusterState::replicate(const NodeId& primary_id) {
  const ClusterConfig& config = membership_.config();
  const ConfigMember* primary = config.find(primary_id);
  if (primary_id == my_id()) return Status(Errc::invalid_argument, "Can't replicate myself");
  if (primary == nullptr) {
    return Status(Errc::invalid_argument, fmt::format("Unknown node {}", primary_id));
  }
  if (primary->role != NodeRole::primary) {
    return Status(Errc::invalid_argument, "I can only replicate a master, not a replica.");
  }
  const ConfigMember* me = config.find(my_id());
  if (me != nullptr && me->role == NodeRole::primary) {
    return Status(Errc::invalid_argument,
                  "To set a master the node must be empty and without assigned slots.");
  }
  replica_shard_ = primary->shard_id;
  membership_.set_self_role(NodeRole::replica, primary->shard_id);
  // Replaces a join as a primary still queued (the engine keeps one change per node).
  join_requested_ = membership_.propose_add(ConfigMember(self(), MemberState::active)).is_ok();
  return Status::ok();
}

std::optional<MemberState> ClusterState::member_state() const {
  const ConfigMember* me = membership_.config().find(my_id());
  if (me == nullptr) return std::nullopt;
  return me->state;
}

std::optional<ShardAddress> ClusterState::migrating_to(Slot slot) const {
  if (!my_shard_ || !target_map_ || slot_map_->owner_of(slot) != *my_shard_) return std::nullopt;
  const size_t target = target_map_->owner_of(slot);
  if (my_target_shard_ == target) return std::nullopt;
  const ConfigMember* member = shard_member(membership_.config(), target_map_->shards()[target]);
  if (member == nullptr) return std::nullopt;
  return member_address(member->node_id);
}

std::optional<ShardAddress> ClusterState::importing_from(Slot slot) const {
  if (!my_target_shard_ || !slot_map_ || target_map_->owner_of(slot) != *my_target_shard_) {
    return std::nullopt;
  }
  const size_t serving = slot_map_->owner_of(slot);
  if (my_shard_ == serving) return std::nullopt;
  const ConfigMember* member = shard_member(membership_.config(), slot_map_->shards()[serving]);
  if (member == nullptr) return std::nullopt;
  return member_address(member->node_id);
}

ShardAddress ClusterState::member_address(const NodeId& node_id) const {
  ShardAddress address;
  address.member = membership_.config().find(node_id);
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

Status ClusterState::record_source_done(const NodeId& source, uint64_t epoch) {
  if (epoch != membership_.config().epoch) {
    return Status(Errc::invalid_argument,
                  fmt::format("epoch {} is not the committed {}", epoch,
                              membership_.config().epoch));
  }
  if (std::find(sources_.begin(), sources_.end(), source) == sources_.end() ||
      std::find(finishers_.begin(), finishers_.end(), my_id()) == finishers_.end()) {
    return Status(Errc::invalid_argument, "not a source of a move this node ends");
  }
  sources_done_[source] = epoch;
  return Status::ok();
}

size_t ClusterState::migrations_in_flight() const {
  const uint64_t epoch = membership_.config().epoch;
  size_t count = !targets_.empty() && drained_epoch_ != epoch ? 1 : 0;
  if (std::find(finishers_.begin(), finishers_.end(), my_id()) == finishers_.end()) return count;
  for (const NodeId& id : sources_) {
    auto it = sources_done_.find(id);
    if (it == sources_done_.end() || it->second != epoch) ++count;
  }
  return count;
}

// The engine forgets its queued changes on a rejoin, so what this node asked once per epoch
// (ending a move, leading an orphaned shard) is asked again. Not a leave: a leaver declared
// failed is removed, which ends its leave, and asking again would bring it back.
void ClusterState::rejoin(int64_t now_ms) {
  membership_.rejoin(now_ms);
  join_requested_ = false;
  move_end_proposed_epoch_ = 0;
  orphan_asked_epoch_ = 0;
  rejoined_ = true;
  refresh(now_ms);
}

bool ClusterState::owns(Slot slot) const {
  return my_shard_ && slot_map_->owner_of(slot) == *my_shard_;
}

bool ClusterState::serving(int64_t now_ms) const {
  const bool serving = my_shard_.has_value() && is_member() && !stepping_down_ &&
                       membership_.has_quorum_contact(now_ms);
  if (serving != last_serving_) ++serving_changes_;
  last_serving_ = serving;
  return serving;
}

// Asked at every refresh while it steps down: the engine keeps one queued removal (queue_change
// replaces a change for the same node), and a rejoin clears the queue, so asking again is needed.
void ClusterState::step_down_if_empty() {
  if (!stepping_down_) return;
  const ClusterConfig& config = membership_.config();
  const ConfigMember* me = config.find(my_id());
  if (me == nullptr || me->role != NodeRole::primary || config.replicas_of(me->shard_id).empty()) {
    stepping_down_ = false;  // removed or demoted already, or nobody else holds the shard's keys
    return;
  }
  if (membership_.self_state() == SelfState::active) (void)membership_.propose_remove(my_id());
}

bool ClusterState::state_ok(int64_t now_ms) const {
  // A replica owns no slot itself but sees the cluster's state as a primary does.
  const bool placed = my_shard_.has_value() || is_replica();
  if (!slot_map_ || !placed || !is_member() || !membership_.has_quorum_contact(now_ms)) {
    return false;
  }
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
  if (!slot_map_ || shard >= slot_map_->shards().size()) return ShardAddress{};
  const ConfigMember* member = shard_member(membership_.config(), slot_map_->shards()[shard]);
  return member == nullptr ? ShardAddress{} : member_address(member->node_id);
}

uint32_t ClusterState::owned_slot_count() const {
  if (!my_shard_) return 0;
  return slot_map_->slot_counts()[*my_shard_];
}

Status ClusterState::leave() {
  if (leaving_) return Status::ok();  // asked again (a lost reply): the answer stays the same
  const ClusterConfig& config = membership_.config();
  if (!is_member()) return Status(Errc::invalid_argument, "this node is not a cluster member");
  if (config.members.size() == 1) {
    return Status(Errc::invalid_argument, "the last node of a cluster cannot leave it");
  }
  const ConfigMember* me = config.find(my_id());
  if (me->state == MemberState::joining) {
    return Status(Errc::invalid_argument,
                  "this node is still joining: it can leave once its slots have moved to it");
  }
  const bool another_stays =
      std::any_of(config.members.begin(), config.members.end(), [&](const ConfigMember& m) {
        return m.node_id != my_id() && m.state != MemberState::leaving;
      });
  if (!another_stays) {
    return Status(Errc::invalid_argument, "every other member is leaving: this one must stay");
  }
  leaving_ = true;
  leave_requested_ = false;  // finish_move() asks for the leaving state on the next refresh
  membership_.depart();
  return Status::ok();
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
    target_map_.reset();
    my_target_shard_.reset();
    maps_epoch_ = 0;
    targets_.clear();
    sources_.clear();
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
