#pragma once
// Scenario files speak milliseconds; the simulator's virtual clock counts nanoseconds.

#include <cstdint>

namespace ringcache::sim {

inline constexpr int64_t ns_per_ms = 1'000'000;
// Checkers compare expiry times in whole milliseconds: one either way is rounding, not a bug.
inline constexpr int64_t expiry_slack_ms = 1;

}  // namespace ringcache::sim
