#include "runtime/fiber/scheduler.h"

#include <boost/fiber/operations.hpp>
#include <utility>

#include "core/util/assert.h"

namespace ringcache::fiber {

using boost::fibers::context;
using boost::fibers::type;

void Scheduler::awakened(context* ctx) noexcept {
  if (ctx->is_context(type::main_context)) {
    main_ = ctx;
  } else if (ctx->is_context(type::dispatcher_context)) {
    dispatcher_ = ctx;
  } else {
    workers_.push_back(ctx);
    ++state_->ready_workers;
  }
}

context* Scheduler::pick_next() noexcept {
  if (!workers_.empty()) {
    size_t index = 0;
    if (state_->chooser != nullptr && workers_.size() > 1) {
      index = static_cast<size_t>(state_->chooser->below(workers_.size()));
      const uint64_t choice = (static_cast<uint64_t>(workers_.size()) << 32) | index;
      state_->choice_digest = (state_->choice_digest ^ choice) * 0x100000001b3ULL;
    }
    context* ctx = workers_[index];
    // Order-preserving removal keeps the FIFO path O(1) and the seeded path deterministic.
    if (index == 0) {
      workers_.pop_front();
    } else {
      workers_.erase(workers_.begin() + static_cast<std::ptrdiff_t>(index));
    }
    --state_->ready_workers;
    ++state_->switches;
    return ctx;
  }
  if (main_ != nullptr) return std::exchange(main_, nullptr);
  return std::exchange(dispatcher_, nullptr);
}

bool Scheduler::has_ready_fibers() const noexcept {
  return !workers_.empty() || main_ != nullptr || dispatcher_ != nullptr;
}

void Scheduler::suspend_until(std::chrono::steady_clock::time_point const& deadline) noexcept {
  // Only reached when every context, main included, is parked: main never parks in our loops,
  // except while the thread shuts down. A finite deadline means someone used a Boost timed
  // wait, which reads the real clock.
  if (state_->forbid_real_time_waits) {
    RING_ASSERT_MSG(deadline == std::chrono::steady_clock::time_point::max(),
                  "a Boost.Fiber timed wait was used inside the simulator");
  }
}

void Scheduler::notify() noexcept {
  // Single-threaded: nothing is ever scheduled from another thread.
}

void install_scheduler(SchedulerState* state) {
  boost::fibers::use_scheduling_algorithm<Scheduler>(state);
}

}  // namespace ringcache::fiber
