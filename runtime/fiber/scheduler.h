#pragma once
// The Boost.Fiber scheduling algorithm both runtimes install on their one thread.
//
// Three kinds of context pass through awakened(): worker fibers, the thread's main context (which
// runs the event loop) and Boost's dispatcher. They are kept apart so "is a worker ready?" has a
// true answer: pick_next() returns a worker when one is ready, else main, else the dispatcher.
// The main context therefore runs only when every worker is parked, which is exactly when the
// event loop should wait for the next event.
//
// Workers are picked in FIFO order, or — given a generator — by a seeded choice among the ready
// ones, so a simulation seed also chooses the interleaving.

#include <boost/fiber/algo/algorithm.hpp>
#include <boost/fiber/context.hpp>
#include <cstddef>
#include <deque>

#include "core/util/rng.h"

namespace ringcache::fiber {

// Shared between the algorithm (owned by Boost) and the runtime that installed it.
struct SchedulerState {
  Rng* chooser = nullptr;           // nullptr: FIFO
  size_t ready_workers = 0;         // workers in the ready queue
  uint64_t switches = 0;            // worker picks, for statistics and the trace
  // Folds every seeded choice (ready count, index picked) so the simulator's trace hash covers
  // scheduling decisions; unchanged on the FIFO path.
  uint64_t choice_digest = 0;
  // Set by the simulator: Boost's own timed waits read the real clock and must never be reached.
  bool forbid_real_time_waits = false;
};

class Scheduler final : public boost::fibers::algo::algorithm {
 public:
  explicit Scheduler(SchedulerState* state) : state_(state) {}

  void awakened(boost::fibers::context* ctx) noexcept override;
  boost::fibers::context* pick_next() noexcept override;
  bool has_ready_fibers() const noexcept override;
  void suspend_until(std::chrono::steady_clock::time_point const& deadline) noexcept override;
  void notify() noexcept override;

 private:
  SchedulerState* state_;
  std::deque<boost::fibers::context*> workers_;
  boost::fibers::context* main_ = nullptr;
  boost::fibers::context* dispatcher_ = nullptr;
};

// Installs Scheduler on the calling thread. Call once, before any fiber is started.
void install_scheduler(SchedulerState* state);

// True when a worker fiber is ready to run (the event loop must not block).
inline bool workers_ready(const SchedulerState& state) { return state.ready_workers > 0; }

}  // namespace ringcache::fiber
