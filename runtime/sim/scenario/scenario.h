#pragma once
// A scenario: the data a run is made of (FoundationDB's test TOML files, in spirit) — cluster
// shape and node options, workload, network and disk, faults, phases and checkers. Parsed from
// TOML text; docs/simulator.md lists every key. Unknown keys are errors, so a typo never
// silently turns a fault off.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/status.h"
#include "runtime/sim/cluster/cluster.h"
#include "runtime/sim/fault/disk_rates.h"
#include "runtime/sim/fault/fault_plan.h"
#include "runtime/sim/network.h"
#include "runtime/sim/workload/workload.h"

namespace ringcache::sim {

struct Scenario {
  std::string name;
  std::string node_kind = "ringcache";
  int64_t duration_ns = 10'000'000'000;  // safety phase
  int64_t liveness_ns = 5'000'000'000;   // bound on convergence after healing
  bool buggify = false;
  std::vector<std::string> checkers = {"linearizability", "stale_read", "expiry", "maxmemory",
                                       "liveness"};
  ClusterOptions cluster;
  WorkloadOptions workload;
  NetworkOptions network;
  DiskFaultRates disk_faults;
  FaultPlanOptions faults;
};

// Every checker name a scenario may list.
const std::vector<std::string>& checker_names();

Result<Scenario> parse_scenario(std::string_view toml_text, std::string_view source_name);

// The scenario with its faults made explicit — the schedule replaced by `events`, the disk
// fault rates by `disk`, no rates, no swarm — and its operation budget set to `max_ops`: how
// shrinking writes a smaller reproduction that replays the same run. Returns TOML.
std::string rewrite_scenario(std::string_view toml_text, const std::vector<FaultEvent>& events,
                             const DiskFaultRates& disk, uint64_t max_ops);

}  // namespace ringcache::sim
