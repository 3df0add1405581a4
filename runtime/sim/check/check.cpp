#include "runtime/sim/check/check.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace ringcache::sim {

WallWindow wall_window(const CheckInput& input, int node, int64_t from_ns, int64_t to_ns) {
  const NodeClock& clock = *input.clocks.at(node);
  const int64_t end = std::min(to_ns, input.end_ns);
  auto [lo_us, hi_us] = clock.wall_range_us(from_ns, std::max(end, from_ns));
  return {lo_us / 1000, hi_us / 1000};
}

WallWindow op_wall_window(const CheckInput& input, const Op& op) {
  return wall_window(input, op.node, op.invoke_ns, op.complete_ns);
}

int64_t wall_peak_ms(const CheckInput& input, int node, int64_t from_ns, int64_t to_ns) {
  const NodeClock& clock = *input.clocks.at(node);
  to_ns = std::max(from_ns, std::min(to_ns, input.end_ns));
  return clock.wall_range_us(from_ns, to_ns).second / 1000;
}

bool event_loses_data(const CheckInput& input, const NodeEvent& event) {
  return event.kind == NodeEvent::Kind::wipe ||
         (event.kind == NodeEvent::Kind::crash && input.restarts_lose_data);
}

// Moved at t with what remained, deadline - setter(t), the key is past it on the reader at the
// read when reader(read) - reader(t) > deadline - setter(t). Between the clocks' jumps
// setter(t) - reader(t) changes only by their drift, so the least is at the interval's ends or
// at either side of a jump.
int64_t ms_past_moved_deadline(const CheckInput& input, int setter, int reader,
                               int64_t deadline_ms, int64_t since_ns, int64_t read_ns) {
  if (read_ns < since_ns) read_ns = since_ns;
  std::vector<int64_t> moments{since_ns, read_ns};
  for (int node : {setter, reader}) {
    for (int64_t jump : input.clocks.at(node)->jump_times_ns(since_ns, read_ns)) {
      moments.push_back(std::max(since_ns, jump - 1));
      moments.push_back(jump);
    }
  }
  const auto at = [&](int node, int64_t t) { return wall_window(input, node, t, t).lo_ms; };
  int64_t least = INT64_MAX;
  for (int64_t t : moments) least = std::min(least, at(setter, t) - at(reader, t));
  return at(reader, read_ns) - deadline_ms + least;
}

}  // namespace ringcache::sim
