#include "runtime/sim/cluster/handoff_classifier.h"

#include <algorithm>

namespace ringcache::sim {
bool contains_id(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

const std::string* SlotMapCopy::owner(uint16_t slot) const {
  if (slot >= owners.size() || owners[slot] >= shards.size()) return nullptr;
  return &shards[owners[slot]];
}

bool SlotMapCopy::has_shard(const std::string& id) const { return contains_id(shards, id); }

void HandoffClassifier::remember(uint64_t epoch, const SlotMapCopy& map) {
  if (map.empty()) return;
  maps_.try_emplace(epoch, map);
}

const SlotMapCopy* HandoffClassifier::before(uint64_t epoch) const {
  auto found = maps_.lower_bound(epoch);
  if (found == maps_.begin()) return nullptr;
  return &std::prev(found)->second;
}

bool HandoffClassifier::planned(uint16_t slot, bool gained, const std::string& node_id,
                                const SlotMapCopy& previous, const SlotMapCopy& next,
                                const std::vector<std::string>& leaving_ids) {
  if (!gained) {
    // Still a member: the slot went to a joiner, which must have received its keys. Out of the
    // configuration: a graceful leave hands everything off, a failure loses it.
    return !next.empty() || contains_id(leaving_ids, node_id);
  }
  const std::string* from = previous.owner(slot);
  if (from == nullptr) return true;    // nobody served it before: the cluster's first map
  if (*from == node_id) return false;  // back after being out: what it had was dropped
  return next.has_shard(*from) || contains_id(leaving_ids, *from);
}

}  // namespace ringcache::sim
