#pragma once
// Runs the checkers a scenario names over a finished run.

#include <string>
#include <vector>

#include "runtime/sim/check/check.h"

namespace ringcache::sim {

// Checkers that read only the history ("linearizability", "stale_read", "expiry"); others
// ("maxmemory", "liveness") are watched while the run goes and skipped here.
std::vector<CheckResult> run_history_checkers(const std::vector<std::string>& names,
                                              const CheckInput& input);

}  // namespace ringcache::sim
