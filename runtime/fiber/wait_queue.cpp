#include "runtime/fiber/wait_queue.h"

#include <algorithm>

namespace ringcache::fiber {

FiberWaitQueue::~FiberWaitQueue() {
  RING_ASSERT_MSG(waiters_.empty(), "WaitQueue destroyed with fibers waiting on it");
}

bool FiberWaitQueue::wait_until(std::optional<Instant> deadline) {
  Waiter waiter;
  auto position = waiters_.insert(waiters_.end(), &waiter);
  std::optional<int64_t> deadline_ns;
  if (deadline) deadline_ns = deadline->time_since_epoch().count();
  struct Unlink {  // also on NodeCrashed unwinding out of park_until
    std::list<Waiter*>& list;
    std::list<Waiter*>::iterator position;
    Waiter& waiter;
    ~Unlink() {
      if (!waiter.notified) list.erase(position);
    }
  } unlink{waiters_, position, waiter};
  park_until(site_, waiter.parker, deadline_ns);
  return waiter.notified;
}

void FiberWaitQueue::notify_one() {
  if (waiters_.empty()) return;
  Waiter* waiter = waiters_.front();
  waiters_.pop_front();
  waiter->notified = true;
  waiter->parker.unpark();
}

void FiberWaitQueue::notify_all() {
  while (!waiters_.empty()) notify_one();
}

}  // namespace ringcache::fiber
