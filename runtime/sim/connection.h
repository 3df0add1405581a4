#pragma once
// One simulated TCP connection: two directions, each a queue of segments in flight and the
// bytes delivered to its receiver. Internal to the network (network.cpp, stream.cpp).

#include <cstdint>
#include <deque>
#include <string>

#include "core/runtime.h"

namespace ringcache::sim {

class SimRuntime;
struct NetworkLink;

// Bytes travelling towards one side.
struct Direction {
  struct Segment {
    std::string bytes;
    bool fin = false;  // the sender closed after these bytes
  };
  std::string delivered;         // arrived, not yet read
  size_t read_offset = 0;        // into `delivered`
  bool fin = false;              // the sender's close arrived: end of stream after `delivered`
  uint64_t in_flight_bytes = 0;  // sent, not yet arrived
  int64_t last_arrival_ns = 0;   // segments arrive in order: never before the previous one
  // Sent, not yet arrived, in order. Each has a delivery event; an event delivers the front
  // segment (not a segment of its own), so bytes stay in order however events are timed.
  std::deque<Segment> in_flight;
  std::deque<Segment> held;      // stopped by a partition or clog, in order
  NetworkLink* link = nullptr;   // the directed link these bytes cross (cached by the network)

  size_t unread() const { return delivered.size() - read_offset; }
};

struct Connection {
  uint64_t id = 0;
  std::string ip[2];                          // [0] the connecting side, [1] the accepting side
  std::string address[2];                     // "ip:port"
  SimRuntime* owner[2] = {nullptr, nullptr};  // the incarnation holding each end
  Direction to[2];                            // to[i]: bytes travelling towards side i
  bool closed[2] = {false, false};            // side i called close()
  bool reset = false;
  // The wait queues of the Stream objects on each side; null once a side's Stream is gone.
  WaitQueue* readers[2] = {nullptr, nullptr};
  WaitQueue* writers[2] = {nullptr, nullptr};

  void wake(int side) {
    if (readers[side] != nullptr) readers[side]->notify_all();
    if (writers[side] != nullptr) writers[side]->notify_all();
  }
  void wake_both() {
    wake(0);
    wake(1);
  }
};

}  // namespace ringcache::sim
