#pragma once
// Committing a new configuration: a proposer asks the primaries of its current configuration
// (epoch e) to vote for a proposal at an epoch E > e built on that configuration; each primary
// grants at most one vote per epoch (Redis' failover-auth rule: its last voted epoch only grows),
// and only for a proposal built on the configuration it holds; a majority of the base
// configuration's primaries commits the proposal. Two proposals for one epoch cannot both win.

#include <cstdint>
#include <optional>
#include <set>
#include <vector>

#include "core/cluster/cluster_config.h"

namespace ringcache::cluster {

// The voter's side: the highest epoch it voted for (persist it with the node's config file).
class Voter {
 public:
  explicit Voter(uint64_t last_voted_epoch = 0) : last_voted_epoch_(last_voted_epoch) {}
  // Grants (and remembers) a vote when `self` is a member of `current`, the proposal is built on
  // `current` (same epoch and digest), comes from the same cluster, keeps at least one member,
  // and its epoch is above both `current`'s and every epoch voted for before. A node never votes
  // for its own removal unless it proposes it (a graceful leave): a node wrongly declared failed
  // does not help remove itself, and the last member is never removed.
  // While a vote it granted another node may still commit (cluster_vote_hold_ms after it), it
  // grants a third proposer's proposal on the same base only if that proposal keeps every change
  // of the one it voted for: two proposals built on one configuration must not both commit, the
  // later undoing the earlier (a manual failover's hand-over, which nobody proposes again once
  // committed).
  bool decide(const NodeId& self, const ClusterConfig& current, uint64_t current_digest,
              const NodeId& proposer, uint64_t base_epoch, uint64_t base_digest,
              const ClusterConfig& proposal, int64_t now_ms = 0);
  uint64_t last_voted_epoch() const { return last_voted_epoch_; }
  // Why decide would refuse `proposal` from `proposer` on this base for a held vote: the
  // proposal it granted another node that may still commit and that `proposal` does not keep
  // (nullptr when none). A refusal carries it back, for the proposer to keep its changes too.
  const ClusterConfig* blocking_grant(const ClusterConfig& current, const NodeId& proposer,
                                      uint64_t base_epoch, uint64_t base_digest,
                                      const ClusterConfig& proposal, int64_t now_ms) const;

 private:
  struct Granted {
    NodeId proposer;
    uint64_t base_epoch = 0;
    uint64_t base_digest = 0;
    ClusterConfig proposal;
    int64_t at_ms = 0;
  };
  uint64_t last_voted_epoch_ = 0;
  std::optional<Granted> granted_;  // the last vote granted (not persisted)
};

// The proposer's side: one proposal in flight.
struct Proposal {
  ClusterConfig base;
  ClusterConfig proposed;
  uint64_t proposed_digest = 0;
  std::set<NodeId> granted;  // members of `base` that voted for it
  int64_t started_ms = 0;

  // Records `voter`'s grant; true once a majority of base's members granted.
  bool add_vote(const NodeId& voter);
};

// `proposal` changed to make every change `granted` made to `base` as well (same member entries,
// same removals): what a voter holding a vote for `granted` asks of a rival on that base.
ClusterConfig keeping_changes_of(const ClusterConfig& base, const ClusterConfig& granted,
                                 ClusterConfig proposal);

// With nobody left to serve (every serving member failed while others joined) the joiners become
// active, and with nobody left to move to the leavers stay: the slots pass as after a failure.
void settle_member_states(ClusterConfig& config);

// The configuration `base` with the changes of `changes` applied, at `epoch`. While a planned
// move is in flight in `base`, changes that would start another one wait (they stay queued).
ClusterConfig apply_changes(const ClusterConfig& base, const std::vector<ConfigChange>& changes,
                            uint64_t epoch);

}  // namespace ringcache::cluster
