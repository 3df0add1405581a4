// Membership's side of configuration changes: adopting committed configurations, and proposing
// queued changes until the committed configuration reflects them.

#include <algorithm>

#include "core/cluster/membership.h"

namespace ringcache::cluster {

void Membership::adopt(const ClusterConfig& config, int64_t now_ms) {
  if (config.epoch <= config_.epoch) return;
  config_ = config;
  config_digest_ = cluster::config_digest(config_);
  highest_epoch_seen_ = std::max(highest_epoch_seen_, config_.epoch);
  for (const ConfigMember& member : config_.members) {
    if (member.node_id == options_.self.node_id) continue;
    NodeEntry* entry = table_.find(member.node_id);
    if (entry == nullptr) {
      table_.add(member, 0, NodeStatus::alive, now_ms);
    } else if (entry->status == NodeStatus::failed) {
      queue_failure_removal(member.node_id, now_ms);
    }
  }
  // The end of a planned move was asked for in an older configuration: its finisher asks again
  // once the sources have reported for this one. Removals of failed members stay.
  std::erase_if(pending_, [this](const ConfigChange& c) {
    if (change_applied(config_, c)) return true;
    if (!ends_move(config_, c)) return false;
    const NodeEntry* entry = table_.find(c.member.node_id);
    return entry == nullptr || entry->status != NodeStatus::failed;
  });
  if (proposal_ && proposal_->base.epoch < config_.epoch) proposal_.reset();
  // Demoted by a manual failover: the writes held for it resume, now redirected.
  if (failover_pause_until_ms_ >= 0 && !config_.is_primary(options_.self.node_id)) {
    end_failover_pause();
  }
}

void Membership::queue_change(const ConfigChange& change, int64_t not_before_ms) {
  if (change_applied(config_, change)) return;
  for (ConfigChange& queued : pending_) {
    if (queued.member.node_id == change.member.node_id) {
      queued = change;
      return;
    }
  }
  pending_.push_back(change);
  if (!proposal_) next_proposal_ms_ = std::max(next_proposal_ms_, not_before_ms);
  if (not_before_ms == 0) next_proposal_ms_ = 0;
}

// A removal queued because a node failed is dropped once the node is back (a new incarnation):
// drive_proposals drops removals of live nodes that were not requested.
void Membership::queue_failure_removal(const NodeId& node_id, int64_t now_ms) {
  ConfigChange change;
  change.kind = ConfigChange::Kind::remove;
  change.member.node_id = node_id;
  // The lowest-id live primary (the coordinator) proposes at once; the others only if it has not
  // happened after a vote timeout (duplicates are harmless, but they split votes).
  const int64_t delay = is_first_live_member() ? 0 : constants::cluster_vote_timeout_ms;
  queue_change(change, now_ms + delay);
}

// The coordinator takes over the changes of other proposers' requests, so that competing
// proposals end up in one that wins: every add, and removals of nodes it also holds failed (or
// of the proposer itself: a graceful leave). Not a change of role within a shard: a replica
// taking over (a manual failover) proposes it only once it holds every write, and only until its
// time is up; a promotion in a failed primary's place comes with that primary's removal.
void Membership::absorb_proposal(const BusMessage& request) {
  if (!is_first_live_member() || request.config_epoch != config_.epoch ||
      request.config_digest != config_digest_ || request.config.cluster_id != config_.cluster_id) {
    return;
  }
  for (const ConfigMember& member : request.config.members) {
    const ConfigMember* current = config_.find(member.node_id);
    if (current != nullptr && current->role != member.role &&
        current->shard_id == member.shard_id) {
      continue;
    }
    if (current == nullptr || !(*current == member)) {
      queue_change(ConfigChange::adding(member), 0);
    }
  }
  for (const ConfigMember& member : config_.members) {
    if (request.config.contains(member.node_id)) continue;
    const NodeEntry* entry = table_.find(member.node_id);
    const bool failed = entry != nullptr && entry->status == NodeStatus::failed;
    if (member.node_id == request.sender.node_id) requested_removals_.insert(member.node_id);
    if (failed || member.node_id == request.sender.node_id) {
      queue_change(ConfigChange::removing(member), 0);
    }
  }
}

void Membership::drive_proposals(Out& out, int64_t now_ms, Rng& rng) {
  std::erase_if(pending_, [this](const ConfigChange& c) {
    if (change_applied(config_, c)) return true;
    if (c.kind != ConfigChange::Kind::remove || requested_removals_.count(c.member.node_id)) {
      return false;
    }
    const NodeEntry* entry = table_.find(c.member.node_id);
    return entry != nullptr && !entry->tombstone();  // it came back
  });
  std::erase_if(requested_removals_, [this](const NodeId& id) {
    return std::none_of(pending_.begin(), pending_.end(),
                        [&](const ConfigChange& c) { return c.member.node_id == id; });
  });
  if (proposal_ && now_ms - proposal_->started_ms >= constants::cluster_vote_timeout_ms) {
    // No majority in time (lost messages, or votes split between proposers): retry later at a
    // higher epoch, after a random pause so competing proposers stop colliding; the coordinator
    // retries first.
    proposal_.reset();
    const auto timeout = static_cast<uint64_t>(constants::cluster_vote_timeout_ms);
    next_proposal_ms_ =
        now_ms + (is_first_live_member() ? static_cast<int64_t>(rng.below(timeout / 4))
                                         : static_cast<int64_t>(timeout / 2 + rng.below(timeout)));
  }
  if (proposal_ || pending_.empty() || config_.empty() || now_ms < next_proposal_ms_) return;
  start_proposal(out, now_ms);
}

void Membership::start_proposal(Out& out, int64_t now_ms) {
  const std::optional<uint64_t> epoch = next_proposal_epoch();
  if (!epoch) return;
  ClusterConfig proposed = apply_changes(config_, ranked_changes(), *epoch);
  if (proposed.members.empty()) {
    pending_.clear();  // removing every member is never committed
    return;
  }
  // Every queued change waits for the planned move in flight to end.
  if (proposed.members == config_.members) return;
  propose(out, std::move(proposed), now_ms, now_ms);
}

std::optional<uint64_t> Membership::next_proposal_epoch() const {
  const uint64_t highest =
      std::max({config_.epoch, voter_.last_voted_epoch(), highest_epoch_seen_});
  if (highest == UINT64_MAX) return std::nullopt;  // epochs exhausted: nothing can be numbered
  return highest + 1;
}

void Membership::propose(Out& out, ClusterConfig proposed, int64_t started_ms, int64_t now_ms) {
  const NodeId& self = options_.self.node_id;
  // A vote this node granted a rival on this base binds its own proposals too: keep its changes
  // rather than refuse itself for as long as the rival retries.
  const ClusterConfig* held =
      voter_.blocking_grant(config_, self, config_.epoch, config_digest_, proposed, now_ms);
  if (held != nullptr && removes_only_dead_members(*held)) {
    proposed = keeping_changes_of(config_, *held, std::move(proposed));
  }
  Proposal proposal;
  proposal.base = config_;
  proposal.proposed = std::move(proposed);
  proposal.proposed_digest = cluster::config_digest(proposal.proposed);
  proposal.started_ms = started_ms;
  highest_epoch_seen_ = proposal.proposed.epoch;
  ++stats_.proposals_started;
  // Its own proposal holds this node's serving while it lives (has_quorum_contact), not for
  // cluster_vote_hold_ms: only the proposer can commit it, so once dropped it never commits.
  const bool self_granted = voter_.decide(self, config_, config_digest_, self, config_.epoch,
                                          config_digest_, proposal.proposed, now_ms);
  if (self_granted && proposal.add_vote(self)) {
    ++stats_.configs_committed;
    adopt(proposal.proposed, now_ms);
    broadcast_config(out);
    return;
  }
  BusMessage request = make(MessageType::vote_request);
  request.config = proposal.proposed;
  for (const ConfigMember& member : config_.members) {
    if (member.node_id != self) send(out, address_of(member), request);
  }
  proposal_ = std::move(proposal);
}

// A voter refused the proposal in flight for a vote it holds for a rival on this base, and sent
// that rival back: propose again at once, keeping the rival's changes as well, so that two
// proposers whose voters each hold the other's rival stop refusing each other. The new proposal
// keeps the first one's start, so it is dropped no later than the first would have been (while
// the rival's own proposer could still have committed it).
void Membership::keep_rival_changes(Out& out, const BusMessage& refusal, int64_t now_ms) {
  const ClusterConfig& rival = refusal.config;
  if (rival.members.empty() || rival.cluster_id != config_.cluster_id ||
      rival.epoch <= config_.epoch || refusal.config_epoch != config_.epoch ||
      refusal.config_digest != config_digest_ || proposal_->base.epoch != config_.epoch ||
      !removes_only_dead_members(rival)) {
    return;
  }
  ClusterConfig proposed = keeping_changes_of(config_, rival, proposal_->proposed);
  if (proposed.members == proposal_->proposed.members) return;  // it keeps them already
  highest_epoch_seen_ = std::max(highest_epoch_seen_, rival.epoch);
  const std::optional<uint64_t> epoch = next_proposal_epoch();
  if (!epoch) return;
  proposed.epoch = *epoch;
  const int64_t started_ms = proposal_->started_ms;
  proposal_.reset();
  propose(out, std::move(proposed), started_ms, now_ms);
}

// Whether every member `rival` removes is one this node holds failed (or gone): a rival
// removing a member alive here is not kept, as those members refuse their own removal and the
// kept proposal could be left without a majority, where the unchanged one may still win.
bool Membership::removes_only_dead_members(const ClusterConfig& rival) const {
  return std::all_of(config_.members.begin(), config_.members.end(), [&](const ConfigMember& m) {
    if (rival.contains(m.node_id)) return true;
    if (m.node_id == options_.self.node_id) return false;
    const NodeEntry* entry = table_.find(m.node_id);
    return entry == nullptr || entry->tombstone();
  });
}

// Another node may start serving this node's slots as soon as it learns the proposal
// committed, before this node does (the config message to it may be lost).
void Membership::hold_serving_for(uint64_t proposal_epoch, int64_t now_ms) {
  vote_hold_epoch_ = std::max(vote_hold_epoch_, proposal_epoch);
  vote_hold_until_ms_ = now_ms + constants::cluster_vote_hold_ms;
}

void Membership::broadcast_config(Out& out) {
  BusMessage message = make(MessageType::config);
  message.config = config_;
  for (const auto& [id, entry] : table_.entries()) {
    if (!entry.tombstone()) send_to(out, entry, message);
  }
}

// The coordinator is the lowest-id live primary (replicas do not vote, so they coordinate none).
bool Membership::is_first_live_member() const {
  if (!config_.is_primary(options_.self.node_id)) return false;
  for (const ConfigMember& member : config_.members) {
    if (member.node_id >= options_.self.node_id) break;
    if (member.role != NodeRole::primary) continue;
    const NodeEntry* entry = table_.find(member.node_id);
    if (entry != nullptr && !entry->tombstone() && !entry->pfail) return false;
  }
  return true;
}

std::vector<ConfigChange> Membership::ranked_changes() const {
  std::vector<ConfigChange> changes = pending_;
  for (ConfigChange& change : changes) {
    const ConfigMember* member = config_.find(change.member.node_id);
    if (change.kind == ConfigChange::Kind::remove && member != nullptr &&
        member->role == NodeRole::primary) {
      change.successor = successor_of(*member);
    }
  }
  return changes;
}

// The replica most likely to hold every write its failed primary acknowledged (WAIT counts any
// replica's acknowledgement): the highest replication offset among the live ones this node
// hears, the lowest node id among equals. Empty when none is live.
NodeId Membership::successor_of(const ConfigMember& primary) const {
  NodeId best;
  uint64_t best_offset = 0;
  for (const ConfigMember* replica : config_.replicas_of(primary.shard_id)) {
    uint64_t offset = replication_offset_;
    if (replica->node_id != options_.self.node_id) {
      const NodeEntry* entry = table_.find(replica->node_id);
      if (entry == nullptr || entry->tombstone() || entry->pfail) continue;
      offset = entry->replication_offset;
    }
    if (best.empty() || offset > best_offset) {
      best = replica->node_id;
      best_offset = offset;
    }
  }
  return best;
}

}  // namespace ringcache::cluster
