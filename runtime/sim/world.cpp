#include "runtime/sim/world.h"

#include <boost/fiber/context.hpp>
#include <boost/fiber/fiber.hpp>
#include <boost/fiber/operations.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "core/runtime.h"
#include "core/util/assert.h"
#include "runtime/sim/asan_fiber.h"

namespace ringcache::sim {
namespace {

// Terminated Boost fibers are freed only by Boost's dispatcher fiber, which our scheduler runs
// only when main is not ready; reap every this many ended fibers.
constexpr uint64_t reap_every_fibers = 64;

bool in_main_fiber() {
  return boost::fibers::context::active()->is_context(boost::fibers::type::main_context);
}

[[noreturn]] void fiber_died(const std::string& name, const char* what) {
  std::fprintf(stderr, "simulated fiber '%s' ended with an exception: %s\n", name.c_str(), what);
  std::fflush(stderr);
  std::abort();
}

}  // namespace

World::World(uint64_t seed) : seed_(seed), seed_rng_(seed), chooser_(seed_rng_.fork_seed()) {
  scheduler_.chooser = &chooser_;
  scheduler_.forbid_real_time_waits = true;
  fiber::install_scheduler(&scheduler_);
}

World::~World() {
  RING_ASSERT_MSG(live_fibers_ == 0, "World destroyed while simulated fibers still run");
  reap_terminated_fibers();
  // Leave the thread usable: the scheduler must not keep pointing at our state.
  static thread_local fiber::SchedulerState fifo;
  fiber::install_scheduler(&fifo);
}

World::EventKey World::at(int64_t at_ns, std::string_view kind, fiber::Callback&& fire) {
  RING_ASSERT_MSG(at_ns >= now_ns_, "an event scheduled in the past");
  RING_ASSERT_MSG(!kind.empty(), "a world event needs a kind for the trace");
  return timers_.add(at_ns, std::move(fire), kind);
}

void World::spawn(std::string name, std::function<void()> body) {
  ++live_fibers_;
  boost::fibers::fiber(
      std::allocator_arg, asan::RecordingStack(),
      [this, name = std::move(name), body = std::move(body)] {
        try {
          body();
        } catch (const NodeCrashed&) {
          // The fiber's node crashed; it has unwound, which is all a crash asks of it.
        } catch (const std::exception& error) {
          fiber_died(name, error.what());
        } catch (...) {
          fiber_died(name, "an exception not derived from std::exception");
        }
        asan::unpoison_above_here();  // what unwinding left poisoned (ASan builds only)
        --live_fibers_;
        ++ended_since_reap_;
      })
      .detach();
}

void World::settle() {
  RING_ASSERT_MSG(in_main_fiber(), "World::settle runs in the main fiber only");
  settle_from_main();
}

void World::settle_from_main() {
  while (fiber::workers_ready(scheduler_)) boost::this_fiber::yield();
  digest_.fold(scheduler_.choice_digest);
  if (ended_since_reap_ >= reap_every_fibers) reap_terminated_fibers();
}

World::Stop World::run(const std::function<bool()>& done, int64_t until_ns) {
  RING_ASSERT_MSG(in_main_fiber(), "World::run runs in the main fiber only");
  for (;;) {
    settle_from_main();
    if (done && done()) return Stop::done;
    const auto next = timers_.next_deadline();
    if (!next) return Stop::deadlock;
    if (*next > until_ns) {
      now_ns_ = std::max(now_ns_, until_ns);
      return Stop::time_bound;
    }
    fire_next(*next);
  }
}

void World::fire_next(int64_t deadline_ns) {
  now_ns_ = std::max(now_ns_, deadline_ns);
  // World events carry their kind and are traced as they fire; a runtime's timers (sleeps,
  // timed waits) have none and show in the trace through what they wake.
  const size_t fired = timers_.fire_due(now_ns_, [this](std::string_view kind) {
    if (!kind.empty()) digest_.event(kind, now_ns_);
  });
  digest_.fold(fired);
}

void World::reap_terminated_fibers() {
  // Parking main on an already-passed deadline hands control to Boost's dispatcher, which frees
  // terminated fibers, finds main due at once and resumes it. The deadline is the earliest
  // representable, so the real clock Boost reads here cannot change what happens.
  ended_since_reap_ = 0;
  boost::this_fiber::sleep_until(std::chrono::steady_clock::time_point::min());
}

}  // namespace ringcache::sim
