#pragma once
// Which faults a run injects and when: a schedule of fault events in true virtual time. A
// scenario gives the schedule directly, or rates per kind from which the seed draws one, or
// `swarm`, where the seed first picks which kinds are on and how often (so one sweep covers
// many mixes, as in swarm testing). Every event says exactly what it does, so a drawn schedule
// can be written out and replayed or shrunk as an explicit one.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/util/rng.h"

namespace ringcache::sim {

// Fault kinds, as named in scenario files and the summary line.
namespace fault_kind {
inline constexpr const char* crash = "node.crash";         // down for `duration`, then restart
inline constexpr const char* wipe = "node.wipe";           // restart on an empty disk
inline constexpr const char* pause = "node.pause";         // frozen for `duration`
inline constexpr const char* partition = "net.partition";  // random halves, both ways
inline constexpr const char* one_way = "net.one_way";      // random halves, one way
inline constexpr const char* isolate = "net.isolate";      // one node from everyone
// Every primary from every other host (see Cluster::primary).
inline constexpr const char* isolate_primaries = "net.isolate_primaries";
inline constexpr const char* clog = "net.clog";            // a node's links held, then released
inline constexpr const char* reset = "net.reset";          // a connection reset
inline constexpr const char* clock_jump = "clock.jump";    // wall clock steps by `amount` us
inline constexpr const char* clock_drift = "clock.drift";  // drift becomes `amount` ppm
}  // namespace fault_kind
// Every kind above, sorted.
const std::vector<std::string>& fault_kinds();
// The kinds added after seeds were recorded in scenarios/regressions.txt (net.isolate_primaries).
// Each draws from a generator of its own, so adding one changes no plan an older seed draws.
bool late_fault_kind(const std::string& kind);

struct FaultEvent {
  int64_t at_ns = 0;
  std::string kind;
  int node = 0;             // the node it hits (modulo the node count)
  int64_t duration_ns = 0;  // crash, pause, partitions, clog
  int64_t amount = 0;       // clock.jump: us; clock.drift: ppm
  uint64_t pick = 0;        // partitions: seeds the halves; reset: which connection
  bool operator==(const FaultEvent&) const = default;
};

struct FaultLimits {
  int64_t duration_ms_min = 100;
  int64_t duration_ms_max = 3000;
  int64_t clock_jump_ms_max = 5000;
  int64_t drift_ppm_max = 500;
};

struct FaultPlanOptions {
  std::vector<FaultEvent> schedule;     // explicit events
  std::map<std::string, double> rates;  // kind -> events per simulated second
  bool swarm = false;
  FaultLimits limits;
};

struct FaultPlan {
  std::vector<FaultEvent> events;       // in time order
  std::map<std::string, double> rates;  // the rates in force (after swarm)
};

// Draws the plan for [0, until_ns): explicit events plus, per kind with a rate, events at
// uniformly drawn gaps of mean 1/rate. Swarm first replaces the rates: each kind is on with
// chance 1/2, at its rate (or 0.2/s if it had none) times a factor in [0.25, 2]. Late kinds
// (late_fault_kind) make both draws from generators forked off `rng` without advancing it.
FaultPlan make_fault_plan(const FaultPlanOptions& options, int nodes, int64_t until_ns, Rng& rng);

std::string describe(const FaultEvent& event);

}  // namespace ringcache::sim
