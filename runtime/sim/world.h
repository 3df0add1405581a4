#pragma once
// The world: one OS thread, one seeded scheduler, one true virtual clock and one event queue.
//
// The thread's main fiber runs the loop (World::run): it lets worker fibers run until none is
// ready, then jumps virtual time to the earliest pending event and fires it. Network deliveries,
// timers and disk completions are all such events, so nothing happens between events and a seed
// fully determines a run (as FoundationDB's sim2 run loop).
//
// Construct a World on a thread that runs no other fibers; it installs its scheduler there (and
// a FIFO one again when destroyed).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/util/rng.h"
#include "runtime/fiber/scheduler.h"
#include "runtime/fiber/timer_queue.h"
#include "runtime/sim/run_digest.h"

namespace ringcache::sim {

class World {
 public:
  using EventKey = fiber::TimerQueue::Key;
  enum class Stop { done, time_bound, deadlock };

  explicit World(uint64_t seed);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  uint64_t seed() const { return seed_; }
  // True virtual time in ns since the start of the run; nodes see it through their own clocks.
  int64_t now_ns() const { return now_ns_; }
  RunDigest& digest() { return digest_; }
  fiber::TimerQueue& timers() { return timers_; }
  // A seed for a component's own generator, so components draw independently of each other.
  uint64_t fork_seed() { return seed_rng_.fork_seed(); }

  // Runs `fire` in the main fiber at true time `at_ns` (>= now), traced under `kind`, which
  // must outlive the event (pass a string literal).
  EventKey at(int64_t at_ns, std::string_view kind, fiber::Callback&& fire);
  EventKey after(int64_t delay_ns, std::string_view kind, fiber::Callback&& fire) {
    return at(now_ns_ + delay_ns, kind, std::move(fire));
  }
  void cancel(const EventKey& key) { timers_.cancel(key); }

  // Starts a fiber. `body` may end by throwing NodeCrashed (its node crashed); any other
  // exception is a bug and stops the process, naming the fiber.
  void spawn(std::string name, std::function<void()> body);
  uint64_t live_fibers() const { return live_fibers_; }

  // The loop. Returns when `done()` holds (checked whenever no fiber is ready), when the next
  // event lies beyond `until_ns` (time is left at until_ns), or when nothing is ready and no
  // event is pending (a deadlock unless done() holds).
  Stop run(const std::function<bool()>& done, int64_t until_ns);
  // Lets every ready fiber run until all are parked; the main fiber only.
  void settle();

 private:
  void fire_next(int64_t deadline_ns);
  // settle() without asking Boost which fiber runs (a thread-local lookup): for the loop.
  void settle_from_main();
  void reap_terminated_fibers();

  uint64_t seed_;
  Rng seed_rng_;  // forks component seeds
  Rng chooser_;   // picks among ready fibers
  fiber::SchedulerState scheduler_;
  fiber::TimerQueue timers_;
  RunDigest digest_;
  int64_t now_ns_ = 0;
  uint64_t live_fibers_ = 0;
  uint64_t ended_since_reap_ = 0;
};

}  // namespace ringcache::sim
