#pragma once
// Manual failovers, as an operator would do them: at each failover's time the operator's console
// (cluster/operator_console.h) sends the node, a replica, `CLUSTER FAILOVER` (or `CLUSTER
// FAILOVER FORCE`), again after a refusal, a lost reply, a restart of the node, or an attempt
// that ran out of time on the node, until the node's own view shows it its shard's primary.
// Whether every failover got done is the manual_failovers_done check.

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/sim/cluster/cluster.h"
#include "runtime/sim/cluster/operator_console.h"

namespace ringcache::sim {

class Simulation;

class PlannedFailovers {
 public:
  PlannedFailovers(Simulation& sim, Cluster& cluster, OperatorConsole& console,
                   std::vector<FailoverEvent> failovers);

  // Boots the operator's console (when there are failovers) and schedules every failover.
  void start();
  // What happened to each failover ("failover to n3: asked at ..., primary at ...").
  std::vector<std::string> notes() const;
  // Nothing left to wait for at `now_ns`: every failover got done, or its node has no accepted
  // request still within the time the node gives itself (cluster_manual_failover_timeout_ms).
  bool settled(int64_t now_ns) const;
  // One line per failover whose node never became its shard's primary.
  std::vector<std::string> unfinished() const;

 private:
  struct Progress {
    explicit Progress(const FailoverEvent& planned) : event(planned) {}
    FailoverEvent event;
    int64_t accepted_ns = -1;  // last accepted request
    int64_t done_ns = -1;
    int requests = 0;
    std::string last_error;
  };
  void drive(Progress& failover);

  Simulation& sim_;
  Cluster& cluster_;
  OperatorConsole& console_;
  std::vector<Progress> failovers_;
};

}  // namespace ringcache::sim
