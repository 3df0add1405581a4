#include "runtime/sim/clock.h"

#include <algorithm>
#include <cstdint>

#include "core/util/assert.h"

namespace ringcache::sim {
namespace {
constexpr int64_t ppm_one = 1'000'000;

// ceil(a / b) for a >= 0, b > 0.
__int128 ceil_div(__int128 a, __int128 b) { return (a + b - 1) / b; }
}  // namespace

NodeClock::NodeClock(int64_t offset_ns, int64_t wall_offset_us, int64_t drift_ppm)
    : base_node_ns_(offset_ns),
      anchor_node_ns_(offset_ns),
      drift_ppm_(drift_ppm),
      wall_offset_us_(wall_offset_us) {
  RING_ASSERT(drift_ppm > -ppm_one && drift_ppm < ppm_one);
}

int64_t NodeClock::monotonic_ns(int64_t true_ns) const {
  const int64_t elapsed = true_ns - anchor_true_ns_;
  const int64_t rate = ppm_one + drift_ppm_;  // in (0, 2 * ppm_one)
  // The same quotient in 64 bits while the product fits (over an hour of either sign): every
  // node reads its clock on every command, and a 128-bit division is a library call.
  constexpr int64_t elapsed_fits_ns = INT64_MAX / (2 * ppm_one);
  if (elapsed > -elapsed_fits_ns && elapsed < elapsed_fits_ns) {
    return anchor_node_ns_ + elapsed * rate / ppm_one;
  }
  return anchor_node_ns_ + static_cast<int64_t>(__int128{elapsed} * rate / ppm_one);
}

int64_t NodeClock::wall_us(int64_t true_ns) const {
  return wall_before_offset_us(true_ns) + wall_offset_at(true_ns);
}

int64_t NodeClock::wall_before_offset_us(int64_t true_ns) const {
  return epoch_wall_us + (monotonic_ns(true_ns) - base_node_ns_) / 1000;
}

int64_t NodeClock::true_deadline_ns(int64_t node_ns, int64_t now_true_ns) const {
  if (node_ns <= monotonic_ns(now_true_ns)) return now_true_ns;
  const __int128 node_elapsed = node_ns - anchor_node_ns_;
  int64_t at = anchor_true_ns_ +
               static_cast<int64_t>(ceil_div(node_elapsed * ppm_one, ppm_one + drift_ppm_));
  // Integer rounding in monotonic_ns may leave us one step short; step until reached.
  while (monotonic_ns(at) < node_ns) ++at;
  return std::max(at, now_true_ns);
}

void NodeClock::set_drift_ppm(int64_t true_ns, int64_t drift_ppm) {
  RING_ASSERT(drift_ppm > -ppm_one && drift_ppm < ppm_one);
  anchor_node_ns_ = monotonic_ns(true_ns);
  anchor_true_ns_ = true_ns;
  drift_ppm_ = drift_ppm;
}

void NodeClock::jump_wall(int64_t true_ns, int64_t delta_us) {
  jumps_.push_back({true_ns, wall_offset_us_});
  wall_offset_us_ += delta_us;
}

int64_t NodeClock::wall_offset_at(int64_t true_ns) const {
  // The offset in force at true_ns: the one before the first jump after it.
  for (const Jump& jump : jumps_) {
    if (jump.true_ns > true_ns) return jump.offset_before_us;
  }
  return wall_offset_us_;
}

std::vector<int64_t> NodeClock::jump_times_ns(int64_t from_true_ns, int64_t to_true_ns) const {
  std::vector<int64_t> times;
  for (const Jump& jump : jumps_) {
    if (jump.true_ns >= from_true_ns && jump.true_ns <= to_true_ns) times.push_back(jump.true_ns);
  }
  return times;
}

std::pair<int64_t, int64_t> NodeClock::wall_range_us(int64_t from_true_ns,
                                                     int64_t to_true_ns) const {
  RING_ASSERT(from_true_ns <= to_true_ns);
  int64_t low = std::min(wall_us(from_true_ns), wall_us(to_true_ns));
  int64_t high = std::max(wall_us(from_true_ns), wall_us(to_true_ns));
  // Wall time is monotonic between jumps; look at both sides of every jump inside the range.
  for (const Jump& jump : jumps_) {
    if (jump.true_ns <= from_true_ns || jump.true_ns > to_true_ns) continue;
    const int64_t before = wall_before_offset_us(jump.true_ns) + jump.offset_before_us;
    const int64_t after = wall_us(jump.true_ns);
    low = std::min({low, before, after});
    high = std::max({high, before, after});
  }
  return {low, high};
}

}  // namespace ringcache::sim
