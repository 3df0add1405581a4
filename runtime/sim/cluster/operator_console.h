#pragma once
// The operator's client: one host ("o0", 10.0.2.1; booted only when a scenario has operator
// actions such as graceful leaves or manual failovers) that sends a node one admin command at a
// time, as redis-cli would, and reads its reply.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "runtime/sim/cluster/cluster.h"
#include "runtime/sim/workload/resp.h"

namespace ringcache::sim {

class Simulation;
class SimRuntime;

class OperatorConsole {
 public:
  // How often an operator's action looks at its node (and retries what went unanswered).
  static constexpr int64_t poll_ns = 50'000'000;

  OperatorConsole(Simulation& sim, Cluster& cluster, int64_t request_timeout_ns)
      : sim_(sim), cluster_(cluster), request_timeout_ns_(request_timeout_ns) {}

  // Boots the operator's host on first use; returns its process.
  SimRuntime& runtime();
  // At `at_ns`, runs `action` in a fiber of the operator's process (event and fiber named
  // `name`, a string literal: the world keeps it as is). Boots the host now, so that its place
  // in the run does not depend on the time.
  void schedule(int64_t at_ns, const char* name, std::function<void()> action);
  // `argv` to node `node`: its reply, or nullopt when none came within the request timeout (a
  // down, paused or cut node) or the connection failed. Suspends; runs in a fiber of runtime().
  std::optional<RespValue> ask(int node, const std::vector<std::string>& argv);

 private:
  Simulation& sim_;
  Cluster& cluster_;
  int64_t request_timeout_ns_;
  SimRuntime* runtime_ = nullptr;
};

}  // namespace ringcache::sim
