#include "runtime/sim/check/check.h"

#include <algorithm>
#include <cstdint>
#include <utility>
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

namespace {

// The most a move from `from` to `to` at some moment of [since_ns, read_ns] can push a deadline
// on: moved at t with what remained, deadline - from(t), the key's deadline on `to` is
// deadline + to(t) - from(t). Between the clocks' jumps to(t) - from(t) changes only by their
// drift, so the most is at the interval's ends or at either side of a jump.
// The shifts, to(t) - from(t), at the moments that bound them: [least, most].
std::pair<int64_t, int64_t> move_shifts_ms(const CheckInput& input, int from, int to,
                                           int64_t since_ns, int64_t read_ns) {
  if (from == to) return {0, 0};
  std::vector<int64_t> moments{since_ns, read_ns};
  for (int node : {from, to}) {
    for (int64_t jump : input.clocks.at(node)->jump_times_ns(since_ns, read_ns)) {
      moments.push_back(std::max(since_ns, jump - 1));
      moments.push_back(jump);
    }
  }
  const auto at = [&](int node, int64_t t) { return wall_window(input, node, t, t).lo_ms; };
  int64_t least = INT64_MAX;
  int64_t most = INT64_MIN;
  for (int64_t t : moments) {
    least = std::min(least, at(to, t) - at(from, t));
    most = std::max(most, at(to, t) - at(from, t));
  }
  return {least, most};
}

// The latest a move can make a deadline: the clocks' shift plus the batch's time in transit.
int64_t max_move_shift_ms(const CheckInput& input, int from, int to, int64_t since_ns,
                          int64_t read_ns) {
  if (from == to) return 0;
  return move_shifts_ms(input, from, to, since_ns, read_ns).second + input.move_transit_max_ms;
}

}  // namespace

int64_t ms_past_moved_deadline(const CheckInput& input, int setter, int reader,
                               int64_t deadline_ms, int64_t since_ns, int64_t read_ns) {
  if (read_ns < since_ns) read_ns = since_ns;
  return wall_window(input, reader, read_ns, read_ns).lo_ms - deadline_ms -
         max_move_shift_ms(input, setter, reader, since_ns, read_ns);
}

int64_t least_travel_shift_ms(const CheckInput& input, const KeyTravel& travel,
                              int64_t since_ns, int64_t until_ns) {
  if (until_ns < since_ns) until_ns = since_ns;
  const auto hop = [&](int from, int to) {
    const int64_t moved = move_shifts_ms(input, from, to, since_ns, until_ns).first;
    return travel.promotions ? std::min<int64_t>(moved, 0) : moved;
  };
  int64_t least = hop(travel.setter, travel.reader);
  for (int holder : travel.holders) {
    if (holder == travel.setter || holder == travel.reader) continue;
    least = std::min(least, hop(travel.setter, holder) + hop(holder, travel.reader));
  }
  return least;
}

std::vector<int> slot_holders(const CheckInput& input, uint16_t slot, int64_t from_ns,
                              int64_t to_ns) {
  std::vector<int> holders;
  if (input.cluster == nullptr) return holders;
  for (int node = 0; node < static_cast<int>(input.clocks.size()); ++node) {
    if (input.cluster->may_have_served(node, slot, from_ns, to_ns)) holders.push_back(node);
  }
  return holders;
}

int64_t ms_past_travelled_deadline(const CheckInput& input, const KeyTravel& travel,
                                   int64_t deadline_ms, int64_t since_ns, int64_t read_ns) {
  if (read_ns < since_ns) read_ns = since_ns;
  // A hop is a move (the shift above) or, with replicas, a promotion (no shift: the absolute
  // deadline, judged on the new holder's clock).
  const auto hop = [&](int from, int to) {
    const int64_t moved = max_move_shift_ms(input, from, to, since_ns, read_ns);
    return travel.promotions ? std::max<int64_t>(moved, 0) : moved;
  };
  int64_t most = hop(travel.setter, travel.reader);
  for (int holder : travel.holders) {
    if (holder == travel.setter || holder == travel.reader) continue;
    most = std::max(most, hop(travel.setter, holder) + hop(holder, travel.reader));
  }
  return wall_window(input, travel.reader, read_ns, read_ns).lo_ms - deadline_ms - most;
}

}  // namespace ringcache::sim
