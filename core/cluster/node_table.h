#pragma once
// What one node knows about the others: addresses, status, incarnation, when it last heard from
// each, and which entries changed recently (they ride on outgoing pings and pongs a bounded
// number of times, most recent first, as SWIM's dissemination). The node itself is not in it.

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "core/cluster/bus_message.h"
#include "core/util/rng.h"

namespace ringcache::cluster {

struct NodeEntry {
  NodeAddress address;
  NodeStatus status = NodeStatus::alive;  // alive, failed or left (suspect is `pfail`)
  uint64_t incarnation = 0;
  bool pfail = false;         // this node suspects it: silent for the node timeout
  int64_t last_heard_ms = 0;  // last message from it (or when it was learned of)
  uint64_t committed_epoch = 0;  // the highest committed configuration epoch its messages carried
  uint64_t replication_offset = 0;  // the replication offset its latest message carried
  // Round-trip contact: when this node sent the latest of its pings that the peer answered. A
  // message from the peer alone does not show the peer hears this node (a one-way cut).
  int64_t last_contact_ms = -1;
  int64_t last_ping_ms = -1;  // last ping this node sent it
  // The unanswered pings sent to it: seqs first..last; the first was sent at unanswered_since_ms.
  uint32_t unanswered_first_seq = 0;  // 0: none outstanding
  uint32_t unanswered_last_seq = 0;
  int64_t unanswered_since_ms = -1;
  // Where in its jitter range the next ping to it falls (0-1000): added to the silence that makes
  // it due for a ping, at either cadence.
  int64_t ping_jitter_permille = 0;
  int64_t last_anti_entropy_ms = -1;  // last ping to it that offered a random entry
  int64_t last_suspect_ms = -1;  // last time this node reported its suspicion
  int64_t changed_ms = 0;        // last status or incarnation change
  int transmits_left = 0;        // gossip retransmissions still owed

  bool tombstone() const { return status == NodeStatus::failed || status == NodeStatus::left; }
  // The status this node gossips about it.
  NodeStatus gossip_status() const { return pfail && !tombstone() ? NodeStatus::suspect : status; }
};

class NodeTable {
 public:
  NodeEntry* find(const NodeId& id);
  const NodeEntry* find(const NodeId& id) const;
  const std::map<NodeId, NodeEntry>& entries() const { return entries_; }
  std::map<NodeId, NodeEntry>& entries() { return entries_; }
  size_t size() const { return entries_.size(); }
  size_t live_count() const;

  // Adds a node first heard of at `now_ms`, or nullptr when the table is full.
  NodeEntry* add(const NodeAddress& address, uint64_t incarnation, NodeStatus status,
                 int64_t now_ms);
  // Marks an entry changed: it is gossiped again, retransmit_budget() times.
  void mark_changed(NodeEntry& entry, int64_t now_ms);
  int retransmit_budget() const;

  // Up to `count` entries to piggyback: those with retransmissions owed (most owed first), and
  // when none is owed, one random live entry (anti-entropy for anything a node missed).
  std::vector<GossipEntry> take_gossip(size_t count, bool anti_entropy, Rng& rng);

  // Forgets tombstones older than the tombstone TTL.
  void prune(int64_t now_ms);

 private:
  std::map<NodeId, NodeEntry> entries_;
};

GossipEntry to_gossip(const NodeEntry& entry);

}  // namespace ringcache::cluster
