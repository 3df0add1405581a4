#pragma once
// Tells the cluster monitor whether a slot that changed hands in a node's view was a planned
// handoff (its keys must move with it) or a loss a cache may suffer (the data was on a node
// that crashed, was declared failed, or dropped its keys). Planned: a joiner takes the slot from
// a member that stays, or a node that was asked to leave gracefully (CLUSTER LEAVE) gives it
// up. The maps come from the nodes' own views; a node that had no map before (a joiner) is
// judged against the latest earlier map any node showed.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ringcache::sim {

// Whether `id` is in the list of node or shard ids.
bool contains_id(const std::vector<std::string>& ids, const std::string& id);

// A slot map as SimNode::cluster_slot_owners gives it; empty when the node had none.
struct SlotMapCopy {
  std::vector<std::string> shards;
  std::vector<uint16_t> owners;  // by slot, an index into shards

  bool empty() const { return owners.empty(); }
  // The shard id owning `slot`, or nullptr.
  const std::string* owner(uint16_t slot) const;
  bool has_shard(const std::string& id) const;
};

class HandoffClassifier {
 public:
  // Keeps the first map seen of `epoch` (every node computes the same map from it).
  void remember(uint64_t epoch, const SlotMapCopy& map);
  // The latest map remembered of an epoch before `epoch`, or nullptr.
  const SlotMapCopy* before(uint64_t epoch) const;

  // Whether node `node_id`'s change of `slot` (it `gained` or lost it) from map `previous` to
  // map `next` (empty: it has no member map now) was a planned handoff. `leaving_ids`: the
  // nodes asked to leave gracefully that it does not believe failed.
  static bool planned(uint16_t slot, bool gained, const std::string& node_id,
                      const SlotMapCopy& previous, const SlotMapCopy& next,
                      const std::vector<std::string>& leaving_ids);

 private:
  std::map<uint64_t, SlotMapCopy> maps_;
};

}  // namespace ringcache::sim
