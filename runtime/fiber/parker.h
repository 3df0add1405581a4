#pragma once
// Parking one fiber until something wakes it: the hand-off between event completions (run by the
// event loop in the main fiber) and the fiber that waits for them.

#include <boost/fiber/context.hpp>
#include <cstdint>
#include <optional>

#include "runtime/fiber/timer_queue.h"

namespace ringcache::fiber {

// A permit, as in java.util.concurrent.locks.LockSupport: unpark() before park() is not lost.
// One waiter at a time.
class Parker {
 public:
  Parker() = default;
  Parker(const Parker&) = delete;
  Parker& operator=(const Parker&) = delete;
  ~Parker();

  // Suspends the calling fiber until unpark() (returns at once if a permit is pending).
  void park();
  // Gives the permit; reschedules the parked fiber if there is one. Never suspends.
  void unpark();
  bool parked() const { return waiter_ != nullptr; }

  // Links for one IntrusiveList of the owner's (a ParkSite's parked fibers, say).
  Parker* prev = nullptr;
  Parker* next = nullptr;

 private:
  boost::fibers::context* waiter_ = nullptr;
  bool permit_ = false;
};

// Where a runtime parks fibers: its timer queue and clock mapping, and hooks the simulator uses to
// wake a crashed node's fibers and unwind them.
class ParkSite {
 public:
  virtual ~ParkSite() = default;
  virtual TimerQueue& timers() = 0;
  // Converts a deadline on this node's monotonic clock into timer-queue time.
  virtual int64_t timer_deadline_ns(int64_t node_deadline_ns) = 0;
  // Called around every park: the simulator keeps a list of parked fibers per node.
  virtual void on_park(Parker& parker) {}
  virtual void on_unpark(Parker& parker) {}
  // Called after every wake-up; the simulator throws NodeCrashed here for a crashed node.
  virtual void after_wake() {}
};

// Parks on `parker` until it is unparked or the deadline (node monotonic ns) passes.
// Returns true if woken by unpark, false on timeout.
bool park_until(ParkSite& site, Parker& parker, std::optional<int64_t> node_deadline_ns);

}  // namespace ringcache::fiber
