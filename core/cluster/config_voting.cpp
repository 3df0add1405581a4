#include "core/cluster/config_voting.h"

#include <algorithm>

namespace ringcache::cluster {

bool Voter::decide(const NodeId& self, const ClusterConfig& current, uint64_t current_digest,
                   const NodeId& proposer, uint64_t base_epoch, uint64_t base_digest,
                   const ClusterConfig& proposal) {
  if (current.empty() || !current.contains(self)) return false;
  if (proposal.members.empty()) return false;
  if (!proposal.contains(self) && proposer != self) return false;
  if (base_epoch != current.epoch || base_digest != current_digest) return false;
  if (proposal.cluster_id != current.cluster_id) return false;
  if (proposal.epoch <= current.epoch || proposal.epoch <= last_voted_epoch_) return false;
  last_voted_epoch_ = proposal.epoch;
  return true;
}

bool Proposal::add_vote(const NodeId& voter) {
  if (base.contains(voter)) granted.insert(voter);
  return granted.size() >= base.majority();
}

ClusterConfig apply_changes(const ClusterConfig& base, const std::vector<ConfigChange>& changes,
                            uint64_t epoch) {
  ClusterConfig next = base;
  next.epoch = epoch;
  for (const ConfigChange& change : changes) next = apply_change(next, change, epoch);
  return next;
}

}  // namespace ringcache::cluster
