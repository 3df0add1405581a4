#include "runtime/sim/cluster/planned_failovers.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/constants.h"
#include "runtime/sim/simulation.h"
#include "runtime/sim/time_units.h"

namespace ringcache::sim {
namespace {
// An accepted request whose node is not primary after this long ran out of time there (the
// node gives up after cluster_manual_failover_timeout_ms): ask again.
constexpr int64_t retry_after_ns =
    (constants::cluster_manual_failover_timeout_ms + 1000) * ns_per_ms;
}  // namespace

PlannedFailovers::PlannedFailovers(Simulation& sim, Cluster& cluster, OperatorConsole& console,
                                   std::vector<FailoverEvent> failovers)
    : sim_(sim), cluster_(cluster), console_(console) {
  for (const FailoverEvent& event : failovers) failovers_.emplace_back(event);
}

void PlannedFailovers::start() {
  for (Progress& failover : failovers_) {
    console_.schedule(failover.event.at_ns, "cluster.failover",
                      [this, &failover] { drive(failover); });
  }
}

void PlannedFailovers::drive(Progress& failover) {
  const int node = failover.event.node;
  uint64_t asked_incarnation = 0;
  while (true) {
    SimNode* running = cluster_.node(node);
    const std::optional<ClusterView> view = running ? running->cluster_view() : std::nullopt;
    const uint64_t incarnation = cluster_.host(node).incarnations;
    const int64_t now = sim_.world().now_ns();
    // Done, also when the node got there before it was asked (an automatic failover).
    if (view && view->member && view->role == NodeRole::primary) break;
    const bool waiting = failover.accepted_ns >= 0 && incarnation == asked_incarnation &&
                         now - failover.accepted_ns < retry_after_ns;
    if (view && view->member && view->role == NodeRole::replica && !waiting) {
      std::vector<std::string> argv{"CLUSTER", "FAILOVER"};
      if (failover.event.force) argv.emplace_back("FORCE");
      ++failover.requests;
      const std::optional<RespValue> reply = console_.ask(node, argv);
      if (reply && reply->is_error()) {
        failover.last_error = reply->text;
      } else if (reply) {
        failover.accepted_ns = sim_.world().now_ns();
        asked_incarnation = incarnation;
      }
    }
    console_.runtime().sleep_for(Nanos(OperatorConsole::poll_ns));
  }
  failover.done_ns = sim_.world().now_ns();
}

std::vector<std::string> PlannedFailovers::notes() const {
  std::vector<std::string> out;
  for (const Progress& failover : failovers_) {
    std::string line = fmt::format("failover{} to n{} (asked at {}, {} request(s)): ",
                                   failover.event.force ? " (force)" : "", failover.event.node,
                                   format_time(failover.event.at_ns), failover.requests);
    if (failover.done_ns >= 0) {
      line += fmt::format("its shard's primary at {}", format_time(failover.done_ns));
    } else {
      line += "not its shard's primary at the end" +
              (failover.last_error.empty() ? std::string()
                                           : " (last refusal: " + failover.last_error + ")");
    }
    out.push_back(std::move(line));
  }
  return out;
}

bool PlannedFailovers::settled(int64_t now_ns) const {
  return std::all_of(failovers_.begin(), failovers_.end(), [&](const Progress& failover) {
    return failover.done_ns >= 0 || failover.accepted_ns < 0 ||
           now_ns - failover.accepted_ns >=
               constants::cluster_manual_failover_timeout_ms * ns_per_ms;
  });
}

std::vector<std::string> PlannedFailovers::unfinished() const {
  std::vector<std::string> out;
  for (const Progress& failover : failovers_) {
    if (failover.done_ns >= 0) continue;
    out.push_back(fmt::format(
        "manual_failovers_done: n{} never became its shard's primary after CLUSTER FAILOVER at {}",
        failover.event.node, format_time(failover.event.at_ns)));
  }
  return out;
}

}  // namespace ringcache::sim
