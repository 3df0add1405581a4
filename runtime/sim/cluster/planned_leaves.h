#pragma once
// Graceful leaves, as an operator would do them: at each leave's time the operator's console
// (cluster/operator_console.h) sends the node `CLUSTER LEAVE`
// — when the node is down or not a member yet, as soon as it is back, and again after a refusal
// or a lost reply. The node then hands off its slots and leaves the configuration; once its own
// view shows it out, the simulator stops it for good (Cluster::retire). While the leave is
// asked, Cluster::leaving marks the node, so the monitor counts what it gives up as a planned
// handoff.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/sim/cluster/cluster.h"
#include "runtime/sim/cluster/operator_console.h"

namespace ringcache::sim {

class Simulation;

class PlannedLeaves {
 public:
  PlannedLeaves(Simulation& sim, Cluster& cluster, OperatorConsole& console,
                std::vector<LeaveEvent> leaves);

  // Boots the operator's console (when there are leaves) and schedules every leave.
  void start();
  // What happened to each leave ("leave of n0: asked at ..., out of the configuration at ...").
  std::vector<std::string> notes() const;

 private:
  struct Progress {
    explicit Progress(const LeaveEvent& planned) : event(planned) {}
    LeaveEvent event;
    int64_t accepted_ns = -1;
    int64_t out_ns = -1;
    std::string last_error;
  };
  void drive(Progress& leave);

  Simulation& sim_;
  Cluster& cluster_;
  OperatorConsole& console_;
  std::vector<Progress> leaves_;
};

}  // namespace ringcache::sim
