#pragma once
// What every checker reads and reports. Checkers are separate from workloads (as TigerBeetle's
// state_checker): they see only the recorded history, node clocks and final node states.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "runtime/sim/check/cluster_record.h"
#include "runtime/sim/clock.h"
#include "runtime/sim/workload/history.h"

namespace ringcache::sim {

struct CheckInput {
  const History& history;
  std::vector<const NodeClock*> clocks;  // by node index: expiry is judged on the node's clock
  int64_t end_ns = 0;                    // the run's end: bounds unfinished operations
  bool may_evict = false;                // eviction is on: keys may vanish at any time
  bool restarts_lose_data = true;        // no persistence: a crash empties the node
                                         // (a wipe empties it whatever the persistence)
  // With an AOF that does not fsync every write (everysec, no), a crash may lose the writes of
  // its last `crash_revert_window_ns` (everysec: ~2 s; no: all, INT64_MAX): the node comes back
  // in the state after some prefix of its writes that includes every write acknowledged
  // before the window. 0: a crash loses nothing acknowledged (or everything, per the above).
  int64_t crash_revert_window_ns = 0;
  // Cluster mode: what the nodes' views showed (null without cluster mode). Keys are then
  // checked across nodes, and may reset where their slot changed hands (docs/simulator.md).
  const ClusterRecord* cluster = nullptr;
  // Cluster mode: a slot that changes hands in a planned move (a join, a graceful leave) keeps
  // its keys, so linearizability lets keys reset only where a slot changed hands unplanned
  // (set when the scenario runs cluster_moves_keep_data; false: every change may reset).
  bool planned_moves_keep_data = false;
  // Cluster mode with replicas: a TTL reaches the replicas as an absolute time on the primary's
  // wall clock, so after a failover the promoted node judges it on its own clock (expiry).
  bool replicas = false;
  // Cluster mode: the longest a slot move's batch may take from the source's reading a key to
  // the target's applying it (the slowest link's latency, plus the longest clog or pause of the
  // fault plan). The remaining TTL travels and counts on the target from then, so a moved key's
  // deadline may stand up to this much later (as with Redis' MIGRATE).
  int64_t move_transit_max_ms = 0;
};

// Whether `event` emptied its node: a wipe always; a crash when restarts lose data.
bool event_loses_data(const CheckInput& input, const NodeEvent& event);

struct CheckResult {
  CheckResult() = default;
  explicit CheckResult(std::string name) : checker(std::move(name)) {}

  std::string checker;
  bool ok = true;
  bool inconclusive = false;          // gave up within its budget: not a failure
  std::vector<std::string> problems;  // readable, most important first (capped)
  std::vector<std::string> notes;     // what is not a failure but must be seen (capped)
  // What was checked, by name ("keys", "ops"...): printed in the run's summary, totalled by
  // sweeps.
  std::vector<std::pair<std::string, uint64_t>> counts;

  void fail(std::string problem) {
    ok = false;
    if (problems.size() < problems_max) problems.push_back(std::move(problem));
  }
  void note(std::string text) {
    if (notes.size() < problems_max) notes.push_back(std::move(text));
  }
  static constexpr size_t problems_max = 10;
};

// The node wall time in ms an operation may have run at: [lo, hi] over its interval.
struct WallWindow {
  int64_t lo_ms;
  int64_t hi_ms;
};
WallWindow op_wall_window(const CheckInput& input, const Op& op);
// The same on `node`'s clock over [from_ns, to_ns] (to_ns bounded by the run's end). In a
// cluster a key's expiry is set on one node and read on another: judge both on one clock.
WallWindow wall_window(const CheckInput& input, int node, int64_t from_ns, int64_t to_ns);
// The highest wall time in ms `node` showed during [from_ns, to_ns]. A key whose deadline it
// reached may be gone — active expiry may have removed it — even if the clock stepped back since.
int64_t wall_peak_ms(const CheckInput& input, int node, int64_t from_ns, int64_t to_ns);
// How far past `deadline_ms` (on `setter`'s clock; > 0: past it) a read on `reader` that began at
// `read_ns` comes, for a key that moved from the setter to the reader with the time that
// remained at some moment of [since_ns, read_ns], and ran on the reader's clock from then on:
// the least over the moments it may have moved at (one of them: not moved before the read).
int64_t ms_past_moved_deadline(const CheckInput& input, int setter, int reader,
                               int64_t deadline_ms, int64_t since_ns, int64_t read_ns);
// How a key may have gone from the node that set its TTL to the node that reads it: directly, or
// through one of `holders` (nodes that may have served its slot meanwhile), each hop a slot move
// (the remaining TTL counted again on the receiver's clock) or, with `promotions` (replicas), a
// replica promoted with the absolute deadline, judged on its own clock.
struct KeyTravel {
  int setter = 0;
  int reader = 0;
  std::vector<int> holders;
  bool promotions = false;
};
// The other direction: the most a key's deadline (on the setter's clock) may have been brought
// forward by the time it reaches `travel.reader` (<= 0 pulls it in), over the same ways and
// moments: where the key may already have expired.
int64_t least_travel_shift_ms(const CheckInput& input, const KeyTravel& travel,
                              int64_t since_ns, int64_t until_ns);
// The nodes that may have served `slot` during [from_ns, to_ns] (none without a cluster).
std::vector<int> slot_holders(const CheckInput& input, uint16_t slot, int64_t from_ns,
                              int64_t to_ns);
// ms_past_moved_deadline for a key that travelled so: the least over every such way, each hop
// at any moment of [since_ns, read_ns] (taken apart: the hops' order in time is not asked, which
// can only make the answer smaller).
int64_t ms_past_travelled_deadline(const CheckInput& input, const KeyTravel& travel,
                                   int64_t deadline_ms, int64_t since_ns, int64_t read_ns);

}  // namespace ringcache::sim
