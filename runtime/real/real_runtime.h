#pragma once
// The production Runtime: one event-loop thread running Boost.Fiber workers, Boost.Asio sockets,
// POSIX files and the OS clocks.
//
// Threading: create the runtime on the thread that will run its loop; it installs the shared fiber
// scheduler (runtime/fiber, FIFO) there. One runtime per thread at a time. Every Runtime call is
// made from that thread: from a spawned fiber (suspending calls) or from the main fiber between
// run_until calls (non-suspending calls only).
//
// The loop lives in the thread's main fiber (see runtime/README.md). Completion handlers of Asio
// operations and timer callbacks run only there, while every worker is parked, so a fiber that
// started an operation has always parked before its completion wakes it.

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>

#include "core/runtime.h"

namespace ringcache::real {

struct RealRuntimeOptions {
  std::string data_dir = ".";  // root of every Disk path
  LogLevel log_level = LogLevel::notice;
  std::string log_file;  // empty: standard output
};

class RealRuntime : public Runtime {
 public:
  // Runs the event loop in the calling (main) fiber until `done()` holds. `done` is checked after
  // every round of worker fibers and of events, so it may depend on state they change.
  virtual void run_until(const std::function<bool()>& done) = 0;
  // The loop's io_context, for extra event sources such as signal_set. Its handlers run in the
  // main fiber: they may wake fibers, never suspend.
  virtual boost::asio::io_context& io_context() = 0;
  // Spawned fibers that have not finished yet.
  virtual size_t live_fibers() const = 0;
  virtual void set_log_level(LogLevel level) = 0;
  virtual void flush_logs() = 0;
};

// Fails (invalid_argument) only if log_file cannot be opened for appending.
Result<std::unique_ptr<RealRuntime>> make_real_runtime(RealRuntimeOptions options);

// "pid:M dd Mon yyyy hh:mm:ss.mmm * message", as redis-server logs. Exposed for tests.
std::string format_log_line(int pid, LogLevel level, int64_t wall_time_us,
                            std::string_view message);

}  // namespace ringcache::real
