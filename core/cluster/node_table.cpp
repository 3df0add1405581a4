#include "core/cluster/node_table.h"

#include <algorithm>
#include <bit>

#include "core/constants.h"

namespace ringcache::cluster {

NodeEntry* NodeTable::find(const NodeId& id) {
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : &it->second;
}

const NodeEntry* NodeTable::find(const NodeId& id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : &it->second;
}

size_t NodeTable::live_count() const {
  size_t count = 0;
  for (const auto& [id, entry] : entries_) count += entry.tombstone() ? 0 : 1;
  return count;
}

NodeEntry* NodeTable::add(const NodeAddress& address, uint64_t incarnation, NodeStatus status,
                          int64_t now_ms) {
  if (entries_.size() >= constants::cluster_nodes_max) return nullptr;
  NodeEntry& entry = entries_[address.node_id];
  entry.address = address;
  entry.incarnation = incarnation;
  entry.status = status == NodeStatus::suspect ? NodeStatus::alive : status;
  entry.last_heard_ms = now_ms;
  mark_changed(entry, now_ms);
  return &entry;
}

int NodeTable::retransmit_budget() const {
  const auto nodes = static_cast<uint64_t>(entries_.size() + 1);
  return constants::cluster_gossip_retransmit_mult * static_cast<int>(std::bit_width(nodes));
}

void NodeTable::mark_changed(NodeEntry& entry, int64_t now_ms) {
  entry.changed_ms = now_ms;
  entry.transmits_left = retransmit_budget();
}

std::vector<GossipEntry> NodeTable::take_gossip(size_t count, bool anti_entropy, Rng& rng) {
  std::vector<NodeEntry*> owed;
  for (auto& [id, entry] : entries_) {
    if (entry.transmits_left > 0) owed.push_back(&entry);
  }
  std::vector<GossipEntry> out;
  if (owed.empty()) {
    if (!anti_entropy || entries_.empty() || count == 0) return out;
    auto it = entries_.begin();
    std::advance(it, static_cast<long>(rng.below(entries_.size())));
    if (!it->second.tombstone()) out.push_back(to_gossip(it->second));
    return out;
  }
  const size_t take = std::min(count, owed.size());
  std::partial_sort(
      owed.begin(), owed.begin() + static_cast<long>(take), owed.end(),
      [](const NodeEntry* a, const NodeEntry* b) { return a->transmits_left > b->transmits_left; });
  for (size_t i = 0; i < take; ++i) {
    --owed[i]->transmits_left;
    out.push_back(to_gossip(*owed[i]));
  }
  return out;
}

void NodeTable::prune(int64_t now_ms) {
  std::erase_if(entries_, [now_ms](const auto& item) {
    const NodeEntry& entry = item.second;
    return entry.tombstone() && now_ms - entry.changed_ms > constants::cluster_tombstone_ttl_ms;
  });
}

GossipEntry to_gossip(const NodeEntry& entry) {
  return GossipEntry{entry.address, entry.gossip_status(), entry.incarnation};
}

}  // namespace ringcache::cluster
