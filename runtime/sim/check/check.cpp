#include "runtime/sim/check/check.h"

#include <algorithm>

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

}  // namespace ringcache::sim
