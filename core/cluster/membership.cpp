#include "core/cluster/membership.h"

#include <algorithm>

#include "core/util/assert.h"

namespace ringcache::cluster {

Membership::Membership(MembershipOptions options, int64_t now_ms)
    : options_(std::move(options)),
      incarnation_(options_.incarnation),
      voter_(options_.last_voted_epoch),
      last_tick_ms_(now_ms) {
  RING_ASSERT(is_valid_node_id(options_.self.node_id));
  RING_ASSERT(is_valid_node_id(options_.self.shard_id));
  RING_ASSERT(options_.node_timeout_ms >= constants::cluster_node_timeout_ms_min);
  if (!options_.config.empty()) adopt(options_.config, now_ms);
  // Restarted after voting for a proposal it never saw commit: it may still commit.
  if (options_.last_voted_epoch > config_.epoch) {
    hold_serving_for(options_.last_voted_epoch, now_ms);
  }
}

BusMessage Membership::make(MessageType type) const {
  BusMessage message;
  message.type = type;
  message.sender = options_.self;
  message.sender_incarnation = incarnation_;
  message.config_epoch = config_.epoch;
  message.config_digest = config_digest_;
  message.replication_offset = replication_offset_;
  return message;
}

BusAddress Membership::address_of(const NodeAddress& node) const {
  return BusAddress{node.ip, node.bus_port};
}

void Membership::send(Out& out, const BusAddress& to, const BusMessage& message) {
  Outgoing outgoing{to, encode_bus_message(message)};
  ++stats_.messages_sent;
  stats_.bytes_sent += outgoing.bytes.size();
  out.push_back(std::move(outgoing));
}

void Membership::send_to(Out& out, const NodeEntry& entry, const BusMessage& message) {
  send(out, address_of(entry.address), message);
}

GossipEntry Membership::self_entry() const {
  const NodeStatus status = self_state_ == SelfState::left ? NodeStatus::left : NodeStatus::alive;
  return GossipEntry{options_.self, status, incarnation_};
}

std::vector<GossipEntry> Membership::gossip_for_message(bool anti_entropy, Rng& rng) {
  std::vector<GossipEntry> gossip;
  if (self_transmits_left_ > 0) {
    --self_transmits_left_;
    gossip.push_back(self_entry());
  }
  const size_t room = constants::cluster_gossip_entries_per_message - gossip.size();
  for (GossipEntry& entry : table_.take_gossip(room, anti_entropy && gossip.empty(), rng)) {
    gossip.push_back(std::move(entry));
  }
  return gossip;
}

void Membership::send_ping(Out& out, NodeEntry& entry, int64_t now_ms, Rng& rng) {
  BusMessage ping = make(MessageType::ping);
  ping.probe_seq = ++probe_seq_;
  // A random entry rides along at most once per regular ping interval to a peer: the quicker
  // pings to the quorum peers would otherwise multiply the gossip bytes.
  const int64_t anti_entropy_gap_ms =
      options_.node_timeout_ms * constants::cluster_ping_after_silence_pct / 100;
  const bool anti_entropy =
      entry.last_anti_entropy_ms < 0 || now_ms - entry.last_anti_entropy_ms >= anti_entropy_gap_ms;
  if (anti_entropy) entry.last_anti_entropy_ms = now_ms;
  ping.gossip = gossip_for_message(anti_entropy, rng);
  entry.last_ping_ms = now_ms;
  if (entry.unanswered_first_seq == 0) {
    entry.unanswered_first_seq = ping.probe_seq;
    entry.unanswered_since_ms = now_ms;
  }
  entry.unanswered_last_seq = ping.probe_seq;
  send_to(out, entry, ping);
}

// A pong echoing one of this node's unanswered pings to the peer: the peer heard this node at
// or after that ping left, which is the contact has_quorum_contact counts (the latest ping's
// send time when it answers that one, else the first unanswered one's, which is sure).
void Membership::on_pong(NodeEntry& entry, uint32_t echoed_seq) {
  if (entry.unanswered_first_seq == 0 || echoed_seq < entry.unanswered_first_seq ||
      echoed_seq > entry.unanswered_last_seq) {
    return;
  }
  const int64_t sent_ms =
      echoed_seq == entry.unanswered_last_seq ? entry.last_ping_ms : entry.unanswered_since_ms;
  entry.last_contact_ms = std::max(entry.last_contact_ms, sent_ms);
  entry.unanswered_first_seq = 0;
  entry.unanswered_last_seq = 0;
  entry.unanswered_since_ms = -1;
}

std::vector<Outgoing> Membership::meet(const BusAddress& seed, int64_t now_ms) {
  if (std::find(options_.seeds.begin(), options_.seeds.end(), seed) == options_.seeds.end()) {
    options_.seeds.push_back(seed);
  }
  Out out;
  BusMessage message = make(MessageType::meet);
  message.probe_seq = ++probe_seq_;
  send(out, seed, message);
  last_meet_ms_ = now_ms;
  return out;
}

Status Membership::bootstrap() {
  if (!config_.empty()) return {Errc::invalid_argument, "a cluster configuration exists"};
  ClusterConfig first;
  first.cluster_id = options_.self.node_id;
  first.epoch = 1;
  first.members.push_back(ConfigMember(options_.self, MemberState::active));
  adopt(first, last_tick_ms_);
  return Status::ok();
}

Status Membership::propose_add(const ConfigMember& member) {
  if (!is_valid_node_id(member.node_id) || !is_valid_node_id(member.shard_id)) {
    return {Errc::invalid_argument, "invalid node or shard id"};
  }
  if (member.ip.size() > constants::cluster_ip_chars_max) {
    return {Errc::invalid_argument, "ip too long"};
  }
  if (config_.members.size() >= constants::cluster_config_members_max &&
      !config_.contains(member.node_id)) {
    return {Errc::invalid_argument, "the configuration is full"};
  }
  queue_change(ConfigChange::adding(member), 0);
  return Status::ok();
}

Status Membership::propose_remove(const NodeId& node_id) {
  if (!is_valid_node_id(node_id)) return {Errc::invalid_argument, "invalid node id"};
  ConfigChange change;
  change.kind = ConfigChange::Kind::remove;
  change.member.node_id = node_id;
  requested_removals_.insert(node_id);
  queue_change(change, 0);
  return Status::ok();
}

void Membership::say_goodbye(Out& out) {
  self_state_ = SelfState::left;
  BusMessage message = make(MessageType::ping);
  message.gossip.push_back(self_entry());
  for (const auto& [id, entry] : table_.entries()) {
    if (!entry.tombstone()) send_to(out, entry, message);
  }
}

void Membership::rejoin(int64_t now_ms) {
  RING_ASSERT(self_state_ == SelfState::declared_failed);
  incarnation_ = std::max(incarnation_, failed_incarnation_) + 1;
  self_state_ = SelfState::active;
  self_transmits_left_ = table_.retransmit_budget();
  pending_.clear();
  requested_removals_.clear();
  proposal_.reset();
  failover_.reset();
  end_failover_pause();
  for (auto& [id, entry] : table_.entries()) {
    entry.last_heard_ms = now_ms;  // a fresh grace period before suspecting anyone
    entry.pfail = false;
  }
  // The removal the others proposed may commit up to a vote hold from now, and this node may
  // be the last to hear of it: on the configuration it holds now it serves again only on
  // contact through pings sent after that, whose pongs carry any such commit's epoch
  // (has_quorum_contact). A configuration committed since is no longer in doubt.
  contact_floor_ms_ = now_ms + constants::cluster_vote_hold_ms;
  rejoin_epoch_ = config_.epoch;
}

void Membership::set_self_role(NodeRole role, const NodeId& shard_id) {
  RING_ASSERT(is_valid_node_id(shard_id));
  if (options_.self.role == role && options_.self.shard_id == shard_id) return;
  options_.self.role = role;
  options_.self.shard_id = shard_id;
  self_transmits_left_ = table_.retransmit_budget();  // the others' tables learn it soon
}

bool Membership::has_quorum_contact(int64_t now_ms) const {
  if (config_.empty() || self_state_ != SelfState::active) return false;
  // A peer committed a newer map (after a pause, a restart or a one-way cut): ours may give
  // away slots another node now serves.
  if (committed_epoch_seen_ > config_.epoch) return false;
  // It voted for a proposal that may have committed without it knowing yet; or its own
  // proposal is out and may commit as soon as the votes come in.
  if (vote_hold_epoch_ > config_.epoch && now_ms < vote_hold_until_ms_) return false;
  if (proposal_ && proposal_->proposed.epoch > config_.epoch &&
      proposal_->granted.count(options_.self.node_id) != 0) {
    return false;
  }
  const int64_t contact_floor_ms = config_.epoch > rejoin_epoch_ ? -1 : contact_floor_ms_;
  if (now_ms < contact_floor_ms) return false;
  const int64_t contact_window_ms =
      options_.node_timeout_ms * constants::cluster_contact_window_pct / 100;
  size_t contacts = 0;
  for (const ConfigMember& member : config_.members) {
    if (member.role != NodeRole::primary) continue;  // the majority is of primaries
    if (member.node_id == options_.self.node_id) {
      ++contacts;
      continue;
    }
    const NodeEntry* entry = table_.find(member.node_id);
    if (entry != nullptr && !entry->tombstone() && entry->last_contact_ms >= 0 &&
        entry->last_contact_ms >= contact_floor_ms &&
        now_ms - entry->last_contact_ms <= contact_window_ms) {
      ++contacts;
    }
  }
  return contacts >= config_.majority();
}

std::optional<NodeView> Membership::node(const NodeId& node_id) const {
  const NodeEntry* entry = table_.find(node_id);
  if (entry == nullptr) return std::nullopt;
  return NodeView{entry->address, entry->gossip_status(), entry->incarnation, entry->last_heard_ms};
}

std::vector<NodeView> Membership::nodes() const {
  std::vector<NodeView> views;
  views.reserve(table_.size());
  for (const auto& [id, entry] : table_.entries()) {
    views.push_back(
        NodeView{entry.address, entry.gossip_status(), entry.incarnation, entry.last_heard_ms});
  }
  return views;
}

}  // namespace ringcache::cluster
