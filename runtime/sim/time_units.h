#pragma once
// Scenario files speak milliseconds; the simulator's virtual clock counts nanoseconds.

#include <cstdint>

namespace ringcache::sim {

inline constexpr int64_t ns_per_ms = 1'000'000;

}  // namespace ringcache::sim
