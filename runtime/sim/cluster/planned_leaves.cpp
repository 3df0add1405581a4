#include "runtime/sim/cluster/planned_leaves.h"

#include <fmt/format.h>

#include "runtime/sim/simulation.h"

namespace ringcache::sim {

PlannedLeaves::PlannedLeaves(Simulation& sim, Cluster& cluster, OperatorConsole& console,
                             std::vector<LeaveEvent> leaves)
    : sim_(sim), cluster_(cluster), console_(console) {
  for (const LeaveEvent& event : leaves) leaves_.emplace_back(event);
}

void PlannedLeaves::start() {
  for (Progress& leave : leaves_) {
    console_.schedule(leave.event.at_ns, "cluster.leave", [this, &leave] { drive(leave); });
  }
}

// Asks until the node accepts, then watches its own view until it is out of the configuration.
// A node that restarts before it is out forgot the request (the leave is not in its config
// file), so it is asked again.
void PlannedLeaves::drive(Progress& leave) {
  const int node = leave.event.node;
  uint64_t asked_incarnation = 0;
  bool asked = false;
  while (true) {
    SimNode* running = cluster_.node(node);
    const std::optional<ClusterView> view = running ? running->cluster_view() : std::nullopt;
    const uint64_t incarnation = cluster_.host(node).incarnations;
    if (asked && view && !view->member && incarnation == asked_incarnation) break;
    if (view && view->member && (!asked || incarnation != asked_incarnation)) {
      cluster_.set_leaving(node, true);
      asked = true;
      asked_incarnation = incarnation;
      const std::optional<RespValue> reply = console_.ask(node, {"CLUSTER", "LEAVE"});
      if (!reply) {
        asked = false;  // it may have been accepted: still leaving, and asked again (idempotent)
      } else if (reply->is_error()) {
        cluster_.set_leaving(node, false);
        asked = false;
        leave.last_error = reply->text;
      } else if (leave.accepted_ns < 0) {
        leave.accepted_ns = sim_.world().now_ns();
      }
    }
    console_.runtime().sleep_for(Nanos(OperatorConsole::poll_ns));
  }
  leave.out_ns = sim_.world().now_ns();
  // From the main loop, not this fiber: stopping a process unwinds fibers of another host.
  sim_.world().after(0, "cluster.retire", [this, node] { cluster_.retire(node); });
}

std::vector<std::string> PlannedLeaves::notes() const {
  std::vector<std::string> out;
  for (const Progress& leave : leaves_) {
    std::string line = fmt::format("leave of n{} (asked at {}): ", leave.event.node,
                                   format_time(leave.event.at_ns));
    if (leave.out_ns >= 0) {
      line += fmt::format("out of the configuration and stopped at {}", format_time(leave.out_ns));
    } else if (leave.accepted_ns >= 0) {
      line += fmt::format("accepted at {}, still in the configuration at the end",
                          format_time(leave.accepted_ns));
    } else {
      line +=
          "never accepted" +
          (leave.last_error.empty() ? std::string() : " (last refusal: " + leave.last_error + ")");
    }
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace ringcache::sim
