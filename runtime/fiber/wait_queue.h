#pragma once
// core's WaitQueue on top of Parker and the runtime's timers.

#include "core/runtime.h"
#include "runtime/fiber/intrusive_list.h"
#include "runtime/fiber/parker.h"

namespace ringcache::fiber {

class FiberWaitQueue final : public WaitQueue {
 public:
  explicit FiberWaitQueue(ParkSite& site) : site_(site) {}
  ~FiberWaitQueue() override;

  bool wait_until(std::optional<Instant> deadline) override;
  void notify_one() override;
  void notify_all() override;

 private:
  struct Waiter {
    Parker parker;
    bool notified = false;
    Waiter* prev = nullptr;
    Waiter* next = nullptr;
  };
  ParkSite& site_;
  IntrusiveList<Waiter> waiters_;  // oldest first
};

}  // namespace ringcache::fiber
