#pragma once
// Applies a FaultPlan to a running cluster: each event at its time, each counted under its kind;
// faults with a duration undo themselves (restart, resume, heal). stop() ends the safety phase:
// no further faults, the network healed, paused nodes resumed and crashed ones restarted.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "runtime/sim/fault/fault_plan.h"
#include "runtime/sim/world.h"

namespace ringcache::sim {

class Simulation;
class Cluster;

class FaultInjector {
 public:
  FaultInjector(Simulation& sim, Cluster& cluster, FaultPlan plan);

  // Schedules every event of the plan.
  void start();
  void stop();
  const FaultPlan& plan() const { return plan_; }

 private:
  void apply(const FaultEvent& event);
  void crash(const FaultEvent& event);
  void pause(const FaultEvent& event);
  void partition(const FaultEvent& event, bool both_ways);
  void isolate(const FaultEvent& event);
  void isolate_primaries(const FaultEvent& event);
  void clog(const FaultEvent& event);
  using Links = std::vector<std::pair<std::string, std::string>>;  // (from ip, to ip)
  void cut_between(const std::vector<std::string>& a, const std::vector<std::string>& b,
                   bool both_ways, int64_t duration_ns);
  // Cuts the links (and, both_ways, their reverses) and heals them after `duration_ns`.
  void cut_links(const Links& links, bool both_ways, int64_t duration_ns);
  void later(int64_t delay_ns, std::string_view kind, fiber::Callback undo);

  Simulation& sim_;
  Cluster& cluster_;
  FaultPlan plan_;
  std::vector<World::EventKey> pending_;
  bool stopped_ = false;
};

}  // namespace ringcache::sim
