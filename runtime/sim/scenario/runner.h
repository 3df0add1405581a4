#pragma once
// Runs one scenario from one seed: builds the simulation, draws every option the seed decides,
// runs the safety phase (faults on) and the liveness phase (faults off, network healed, nodes
// back; every client must make progress within the bound), then runs the checkers.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "runtime/sim/fault/fault_plan.h"
#include "runtime/sim/scenario/scenario.h"
#include "runtime/sim/run_digest.h"

namespace ringcache::sim {

struct RunReport {
  uint64_t seed = 0;
  bool pass = false;
  std::string trace_hex;
  uint64_t events = 0;
  int64_t sim_ns = 0;
  uint64_t ops = 0;
  std::string faults;                    // "kind:count,..."
  std::vector<std::string> options;      // what the seed chose, one line each
  std::vector<std::string> failures;     // empty on pass
  std::vector<std::string> notes;        // inconclusive checks and the like
  // What the checkers checked, as "checker.name" and a count ("linearizability.ops"): printed
  // with the run, totalled by sweeps.
  std::vector<std::pair<std::string, uint64_t>> checked;
  std::vector<FaultEvent> fault_events;  // the plan that ran (for shrinking)
  DiskFaultRates disk_rates;             // the disk fault rates in force
};

RunReport run_scenario(const Scenario& scenario, uint64_t seed,
                       const RunDigest::Sink& trace_sink = {});

}  // namespace ringcache::sim
