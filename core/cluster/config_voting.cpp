#include "core/cluster/config_voting.h"

#include <algorithm>

#include "core/constants.h"

namespace ringcache::cluster {
namespace {

// `proposal` makes every change `granted` made to `base` (same member entries, same removals).
bool keeps_changes(const ClusterConfig& base, const ClusterConfig& granted,
                   const ClusterConfig& proposal) {
  for (const ConfigMember& member : granted.members) {
    const ConfigMember* before = base.find(member.node_id);
    if (before != nullptr && *before == member) continue;
    const ConfigMember* after = proposal.find(member.node_id);
    if (after == nullptr || !(*after == member)) return false;
  }
  return std::all_of(base.members.begin(), base.members.end(), [&](const ConfigMember& member) {
    return granted.contains(member.node_id) || !proposal.contains(member.node_id);
  });
}

}  // namespace

bool Voter::decide(const NodeId& self, const ClusterConfig& current, uint64_t current_digest,
                   const NodeId& proposer, uint64_t base_epoch, uint64_t base_digest,
                   const ClusterConfig& proposal, int64_t now_ms) {
  // Primaries vote (replicas follow theirs, as in Redis).
  if (current.empty() || !current.is_primary(self)) return false;
  if (proposal.members.empty()) return false;
  if (!proposal.contains(self) && proposer != self) return false;
  if (base_epoch != current.epoch || base_digest != current_digest) return false;
  if (proposal.cluster_id != current.cluster_id) return false;
  if (!valid_transition(current, proposal)) return false;
  if (proposal.epoch <= current.epoch || proposal.epoch <= last_voted_epoch_) return false;
  if (blocking_grant(current, proposer, base_epoch, base_digest, proposal, now_ms) != nullptr) {
    return false;
  }
  last_voted_epoch_ = proposal.epoch;
  // Its own proposals do not bind its later votes: two primaries each holding their own would
  // refuse each other's for good (a proposer lost to a rival proposes its change again).
  if (proposer != self) granted_ = Granted{proposer, base_epoch, base_digest, proposal, now_ms};
  return true;
}

const ClusterConfig* Voter::blocking_grant(const ClusterConfig& current, const NodeId& proposer,
                                           uint64_t base_epoch, uint64_t base_digest,
                                           const ClusterConfig& proposal, int64_t now_ms) const {
  if (!granted_ || granted_->proposer == proposer || granted_->base_epoch != base_epoch ||
      granted_->base_digest != base_digest ||
      now_ms - granted_->at_ms >= constants::cluster_vote_hold_ms ||
      keeps_changes(current, granted_->proposal, proposal)) {
    return nullptr;
  }
  return &granted_->proposal;
}

ClusterConfig keeping_changes_of(const ClusterConfig& base, const ClusterConfig& granted,
                                 ClusterConfig proposal) {
  for (const ConfigMember& member : granted.members) {
    const ConfigMember* before = base.find(member.node_id);
    if (before == nullptr || !(*before == member)) {
      proposal = apply_change(proposal, ConfigChange::adding(member), proposal.epoch);
    }
  }
  for (const ConfigMember& member : base.members) {
    if (granted.contains(member.node_id)) continue;
    std::erase_if(proposal.members,
                  [&](const ConfigMember& m) { return m.node_id == member.node_id; });
  }
  return proposal;
}

void settle_member_states(ClusterConfig& config) {
  const auto any = [&](bool (*in_map)(MemberState)) {
    return std::any_of(config.members.begin(), config.members.end(),
                       [&](const ConfigMember& m) { return in_map(m.state); });
  };
  const bool serving = any(in_serving_map);
  const bool target = any(in_target_map);
  for (ConfigMember& member : config.members) {
    if ((!serving && member.state == MemberState::joining) ||
        (!target && member.state == MemberState::leaving)) {
      member.state = MemberState::active;
    }
  }
}

bool Proposal::add_vote(const NodeId& voter) {
  if (base.is_primary(voter)) granted.insert(voter);
  return granted.size() >= base.majority();
}

ClusterConfig apply_changes(const ClusterConfig& base, const std::vector<ConfigChange>& changes,
                            uint64_t epoch) {
  ClusterConfig next = base;
  next.epoch = epoch;
  // The one move this proposal may start: every joiner queued, or else the first leaver.
  const bool in_flight = base.move_in_flight();
  const bool joiners = std::any_of(changes.begin(), changes.end(), [&](const ConfigChange& c) {
    return starts_move(base, c) && c.member.state == MemberState::joining;
  });
  bool leaver_taken = false;
  for (const ConfigChange& change : changes) {
    if (starts_move(base, change)) {
      const bool leaver = change.member.state == MemberState::leaving;
      if (in_flight || (leaver && (joiners || leaver_taken))) continue;
      leaver_taken = leaver_taken || leaver;
    }
    next = apply_change(next, change, epoch);
  }
  settle_member_states(next);
  return next;
}

}  // namespace ringcache::cluster
