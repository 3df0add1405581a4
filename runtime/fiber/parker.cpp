#include "runtime/fiber/parker.h"

#include <utility>

#include "core/util/assert.h"

namespace ringcache::fiber {

Parker::~Parker() { RING_ASSERT_MSG(waiter_ == nullptr, "Parker destroyed with a parked fiber"); }

void Parker::park() {
  if (std::exchange(permit_, false)) return;
  RING_ASSERT_MSG(waiter_ == nullptr, "two fibers parked on one Parker");
  waiter_ = boost::fibers::context::active();
  waiter_->suspend();
  RING_ASSERT(waiter_ == nullptr);
  permit_ = false;
}

void Parker::unpark() {
  if (waiter_ == nullptr) {
    permit_ = true;
    return;
  }
  boost::fibers::context* waiter = std::exchange(waiter_, nullptr);
  boost::fibers::context::active()->schedule(waiter);
}

bool park_until(ParkSite& site, Parker& parker, std::optional<int64_t> node_deadline_ns) {
  bool timed_out = false;
  std::optional<TimerQueue::Key> timer;
  if (node_deadline_ns) {
    timer = site.timers().add(site.timer_deadline_ns(*node_deadline_ns), [&] {
      timed_out = true;
      parker.unpark();
    });
  }
  site.on_park(parker);
  parker.park();
  site.on_unpark(parker);
  if (timer && !timed_out) site.timers().cancel(*timer);
  site.after_wake();
  return !timed_out;
}

}  // namespace ringcache::fiber
