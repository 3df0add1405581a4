#pragma once
// The hand-off between one Asio operation and the fiber waiting for it. The fiber starts the
// operation with handler(), then wait()s; the handler runs later in the main fiber (inside the
// event loop), stores the result and unparks the fiber. Asio never runs a handler inside the
// initiating call, and the loop runs handlers only while every worker is parked, so the permit in
// Parker is a safety net rather than the common path.
//
// The handler refers to this object, so the waiter must stay until the handler has run: wait()
// returns only then, also after a cancel (the handler then sees operation_aborted).

#include <boost/system/error_code.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "runtime/fiber/parker.h"

namespace ringcache::real {

class IoWait {
 public:
  auto handler() {
    return [this](const boost::system::error_code& ec, size_t bytes = 0) {
      ec_ = ec;
      bytes_ = bytes;
      done_ = true;
      parker_.unpark();
    };
  }
  // Suspends until the handler ran. With a deadline (steady-clock ns), returns false once it
  // passes with the handler not yet run; the caller then cancels the operation and waits again.
  bool wait(fiber::ParkSite& site, std::optional<int64_t> deadline_ns = std::nullopt) {
    while (!done_) {
      if (!fiber::park_until(site, parker_, deadline_ns) && !done_) return false;
    }
    return true;
  }
  bool done() const { return done_; }
  const boost::system::error_code& error() const { return ec_; }
  size_t bytes() const { return bytes_; }

 private:
  fiber::Parker parker_;
  boost::system::error_code ec_;
  size_t bytes_ = 0;
  bool done_ = false;
};

}  // namespace ringcache::real
