#pragma once
// A simulated client's state, shared by workload.cpp and its cluster mode (cluster_client.cpp).
// Internal to workload/.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/sim/workload/workload.h"
#include "runtime/sim/world.h"

namespace ringcache::sim {

struct Workload::Conn {
  std::unique_ptr<Stream> stream;
  RespParser parser;
};

struct Workload::Client {
  int index = 0;
  Target target;  // its home node: the only one outside cluster mode
  SimRuntime* runtime = nullptr;
  Rng rng{0};
  std::vector<Conn> conns;          // by node index
  int active = -1;                  // the node of the call in flight: the watchdog closes that one
  std::optional<SlotBelief> slots;  // cluster mode
  bool slots_stale = true;
  int64_t next_refresh_ns = 0;
  uint64_t writes = 0;
  // fill_on_miss: the key a GET found empty, to SET next, and its value size.
  std::optional<std::string> fill_key;
  uint32_t fill_size = 0;
  uint32_t op_size = 0;     // the trace's size for the operation in flight (0: none)
  bool progressed = false;  // succeeded at something in the liveness phase
  // The request timeout: the deadline of the operation in flight (never_ns when none) and a
  // watchdog event, armed at a deadline and re-armed while later operations keep it busy, so
  // an operation costs no timer of its own.
  int64_t deadline_ns = never_ns;
  std::optional<World::EventKey> watchdog;

  void close_all() {
    for (Conn& conn : conns) conn.stream.reset();
  }
};

}  // namespace ringcache::sim
