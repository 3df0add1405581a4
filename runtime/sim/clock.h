#pragma once
// One simulated host's clocks, as a function of true virtual time (as TigerBeetle's
// testing/time.zig models drift and offset).
//
//   monotonic = base + (true - anchor) * (1 + drift_ppm / 1e6)   never goes backwards
//   wall      = epoch + (monotonic - base) + wall_offset          jumps when wall_offset changes
//
// The wall clock leaves out the monotonic base (each node's boot offset): nodes' wall clocks
// differ by their skew and drift only, as NTP-synced hosts' do, so an expiry time carried from
// one node to another means the same instant on both.
//
// Drift may change at run time: the mapping is re-anchored so monotonic time stays continuous.
// Timer deadlines are node-monotonic and convert back to the earliest true time at which the
// node's clock has reached them.

#include <cstdint>
#include <utility>
#include <vector>

namespace ringcache::sim {

class NodeClock {
 public:
  // `offset_ns`: where this node's monotonic clock starts; `wall_offset_us`: how far its wall
  // clock is from true wall time (skew); `drift_ppm` in (-1e6, 1e6).
  NodeClock(int64_t offset_ns, int64_t wall_offset_us, int64_t drift_ppm);

  int64_t monotonic_ns(int64_t true_ns) const;
  int64_t wall_us(int64_t true_ns) const;
  // The earliest true time at which monotonic_ns(true) >= node_ns (never before `now_true_ns`).
  int64_t true_deadline_ns(int64_t node_ns, int64_t now_true_ns) const;

  // Changes drift from `true_ns` on, keeping monotonic time continuous.
  void set_drift_ppm(int64_t true_ns, int64_t drift_ppm);
  // Jumps the wall clock by `delta_us` (either sign) at `true_ns` (NTP step, operator error).
  void jump_wall(int64_t true_ns, int64_t delta_us);

  // The smallest and largest wall time this node showed during [from_true_ns, to_true_ns]:
  // checkers use it to bound when, on the node's own clock, an operation ran.
  std::pair<int64_t, int64_t> wall_range_us(int64_t from_true_ns, int64_t to_true_ns) const;

  // The true times of the wall clock's jumps within [from_true_ns, to_true_ns], in order.
  std::vector<int64_t> jump_times_ns(int64_t from_true_ns, int64_t to_true_ns) const;

  int64_t drift_ppm() const { return drift_ppm_; }
  int64_t wall_offset_us() const { return wall_offset_us_; }

  // True wall time at true time 0 (2023-11-14T22:13:20Z): fixed so runs replay identically.
  static constexpr int64_t epoch_wall_us = 1'700'000'000'000'000;

 private:
  struct Jump {
    int64_t true_ns;
    int64_t offset_before_us;
  };
  int64_t wall_offset_at(int64_t true_ns) const;
  // Wall time without the skew offset: epoch plus the monotonic time since boot.
  int64_t wall_before_offset_us(int64_t true_ns) const;

  int64_t anchor_true_ns_ = 0;
  int64_t base_node_ns_;  // monotonic time at true time 0
  int64_t anchor_node_ns_;
  int64_t drift_ppm_;
  int64_t wall_offset_us_;
  std::vector<Jump> jumps_;  // in time order
};

}  // namespace ringcache::sim
