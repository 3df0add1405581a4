#include "runtime/fiber/wait_queue.h"

namespace ringcache::fiber {

FiberWaitQueue::~FiberWaitQueue() {
  RING_ASSERT_MSG(waiters_.empty(), "WaitQueue destroyed with fibers waiting on it");
}

bool FiberWaitQueue::wait_until(std::optional<Instant> deadline) {
  Waiter waiter;
  waiters_.push_back(&waiter);
  std::optional<int64_t> deadline_ns;
  if (deadline) deadline_ns = deadline->time_since_epoch().count();
  struct Unlink {  // also on NodeCrashed unwinding out of park_until
    IntrusiveList<Waiter>& list;
    Waiter& waiter;
    ~Unlink() {
      if (!waiter.notified) list.remove(&waiter);
    }
  } unlink{waiters_, waiter};
  park_until(site_, waiter.parker, deadline_ns);
  return waiter.notified;
}

void FiberWaitQueue::notify_one() {
  Waiter* waiter = waiters_.pop_front();
  if (waiter == nullptr) return;
  waiter->notified = true;
  waiter->parker.unpark();
}

void FiberWaitQueue::notify_all() {
  while (!waiters_.empty()) notify_one();
}

}  // namespace ringcache::fiber
