#pragma once
// Delta debugging (Zeller's ddmin) over a failing run's fault schedule, then over its operation
// count: keep removing pieces while the run still fails.

#include <cstdint>
#include <functional>
#include <vector>

#include "runtime/sim/fault/fault_plan.h"

namespace ringcache::sim {

// The smallest subset of `events` (1-minimal: removing any one event makes it pass) for which
// `fails` still holds. `fails(events)` must hold on entry.
std::vector<FaultEvent> shrink_events(
    std::vector<FaultEvent> events,
    const std::function<bool(const std::vector<FaultEvent>&)>& fails);

// A small operation budget in [1, max_ops] for which `fails` holds (halving, then stepping down
// by ever smaller amounts); max_ops if none smaller fails.
uint64_t shrink_ops(uint64_t max_ops, const std::function<bool(uint64_t)>& fails);

}  // namespace ringcache::sim
