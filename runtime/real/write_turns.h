#pragma once
// Writes from several fibers to one stream must not interleave their bytes: they take turns, in
// FIFO order. Shared by the plain and the TLS stream (private to runtime/real).

#include <algorithm>
#include <deque>

#include "runtime/fiber/parker.h"

namespace ringcache::real {

class WriteTurns {
 public:
  // Suspending. Returns once no other write is in flight and every earlier waiter had its turn,
  // or once `closed` is set (the caller checks it). The caller then writes and calls done().
  void wait(fiber::ParkSite& site, const bool& closed) {
    if (!writing_ && queue_.empty()) {
      writing_ = true;
      return;
    }
    fiber::Parker parker;
    queue_.push_back(&parker);
    while (!closed && (writing_ || queue_.front() != &parker)) {
      fiber::park_until(site, parker, std::nullopt);
    }
    std::erase(queue_, &parker);
    writing_ = true;
  }
  // Never suspends. Ends the caller's turn and wakes the next waiter.
  void done() {
    writing_ = false;
    if (!queue_.empty()) queue_.front()->unpark();
  }
  // Never suspends. Wakes every waiter (the stream closed: they find `closed` set).
  void wake_all() {
    for (fiber::Parker* waiter : queue_) waiter->unpark();
  }
  bool writing() const { return writing_; }

 private:
  bool writing_ = false;
  std::deque<fiber::Parker*> queue_;  // fibers waiting for their turn, oldest first
};

}  // namespace ringcache::real
