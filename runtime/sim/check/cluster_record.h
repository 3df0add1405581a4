#pragma once
// What the cluster monitor (cluster/cluster_monitor.h) recorded of every node's own view while
// the run went, for the cluster checkers: when each node claimed each slot (owned it and was
// serving), when slots changed hands in some node's view (a key there may have been lost), and
// the problems it saw as they happened (two nodes claiming one slot for too long). Times are
// sample times: a change seen at sample t happened in (the previous sample, t].

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ringcache::sim {

struct SlotInterval {
  int64_t from_ns = 0;  // at or before the claim began
  int64_t to_ns = 0;    // at or after it ended (INT64_MAX: still claimed at the end)
};

// A slot that changed hands in `node`'s view (it lost or gained it), or was held by a node that
// went down or dropped its data: the slot's keys may have been reset in [after_ns, by_ns].
// `planned`: the change was a handoff between live members — a join took the slot from a member
// that stays, or a node that was asked to leave gracefully gave it up — where the data must move
// with the slot; not planned: a crash, a node declared failed, or a node that dropped its data,
// where a shard without replicas loses it.
struct OwnershipChange {
  uint16_t slot = 0;
  int node = 0;
  int64_t after_ns = 0;
  int64_t by_ns = 0;
  bool planned = false;
};

// A node accepting writes for its shard (a serving primary, by its own view), or a member of a
// shard in any role, over [from_ns, to_ns] (sample times; INT64_MAX: until the end).
struct ShardInterval {
  std::string shard;
  int node = 0;
  int64_t from_ns = 0;
  int64_t to_ns = 0;
};

// A replica that became its shard's primary and accepted writes: when the shard last had a
// primary accepting writes, when some node first held its old primary failed (-1: not seen),
// and when the promoted node first accepted writes.
struct Promotion {
  std::string shard;
  int node = 0;
  int64_t unserved_since_ns = 0;
  int64_t declared_ns = -1;
  int64_t accepted_ns = 0;
};

// A node as it stood at the end of the run (after the replicas' catch-up phase, when the
// scenario asks for it): its shard and role, whether it accepted writes, and its keyspace.
struct FinalNode {
  bool up = false;
  bool member = false;
  std::string shard;
  bool primary = false;
  bool accepts_writes = false;
  uint64_t digest = 0;
  uint64_t keys = 0;
  uint64_t repl_offset = 0;
};

struct ClusterRecord {
  bool enabled = false;
  int64_t node_timeout_ns = 0;
  int64_t allowed_overlap_ns = 0;  // two claimants of a slot are tolerated this long
  // (node, slot) -> the intervals the node claimed the slot, in time order.
  std::map<std::pair<int, uint16_t>, std::vector<SlotInterval>> claims;
  // (node, slot) -> sample intervals in which the node took a map owning the slot, up and a
  // member, but was not serving at the sample that saw the map: it may have served in between
  // (a node that stops serving again within one sample period, e.g. to vote for the next
  // configuration, shows no claim). cluster_owned_reads accepts answers there; the single-writer
  // check counts only sure claims.
  std::map<std::pair<int, uint16_t>, std::vector<SlotInterval>> possible_claims;
  std::vector<OwnershipChange> changes;       // in time order
  std::vector<std::string> overlap_problems;  // checker cluster_single_writer
  // Replicas (docs/replication.md): who accepted writes for which shard, who belonged to which
  // shard, the promotions, and the nodes that dropped their data without a crash (declared
  // failed and back as a new incarnation), as (node, time).
  std::vector<ShardInterval> writers;
  std::vector<ShardInterval> shard_members;
  std::vector<Promotion> promotions;
  std::vector<std::pair<int, int64_t>> data_resets;
  // When some live node began to hold a node failed (read every watch period), as (node, time).
  std::vector<std::pair<int, int64_t>> declared_failed;
  std::vector<FinalNode> final_nodes;  // by node
  // At the end of the liveness phase.
  bool converged = false;
  std::string convergence_problem;  // why not, when not
  uint32_t unserved_slots = 0;
  std::string coverage_problem;

  // Whether `node` claimed `slot`, surely or possibly, at some moment of [from_ns, to_ns].
  bool may_have_served(int node, uint16_t slot, int64_t from_ns, int64_t to_ns) const {
    return overlaps(claims, node, slot, from_ns, to_ns) ||
           overlaps(possible_claims, node, slot, from_ns, to_ns);
  }

 private:
  static bool overlaps(const std::map<std::pair<int, uint16_t>, std::vector<SlotInterval>>& by,
                       int node, uint16_t slot, int64_t from_ns, int64_t to_ns) {
    auto found = by.find({node, slot});
    if (found == by.end()) return false;
    for (const SlotInterval& interval : found->second) {
      if (interval.from_ns <= to_ns && interval.to_ns >= from_ns) return true;
    }
    return false;
  }
};

}  // namespace ringcache::sim
