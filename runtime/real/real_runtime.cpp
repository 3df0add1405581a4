#include "runtime/real/real_runtime.h"

#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/context/detail/exception.hpp>
#include <boost/fiber/fiber.hpp>
#include <boost/fiber/operations.hpp>
#include <boost/fiber/protected_fixedsize_stack.hpp>
#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <random>
#include <vector>

#include "runtime/fiber/scheduler.h"
#include "runtime/fiber/wait_queue.h"
#include "runtime/real/datagram.h"
#include "runtime/real/io_wait.h"
#include "runtime/real/logger.h"
#include "runtime/real/net.h"
#include "runtime/real/posix_disk.h"
#include "runtime/real/real_constants.h"
#include "runtime/real/steady_clock.h"
#include "runtime/real/tls_stream.h"

namespace ringcache::real {
namespace {

// The scheduler state of this thread. It is constructed before install_scheduler creates Boost's
// per-thread scheduler, so it is destroyed after it: the algorithm points at it until the thread
// ends. Installed once per thread; later runtimes on the thread reuse it.
fiber::SchedulerState& thread_scheduler() {
  static thread_local fiber::SchedulerState state;
  static thread_local bool installed = false;
  if (!installed) {
    fiber::install_scheduler(&state);
    installed = true;
  }
  return state;
}

thread_local bool runtime_on_this_thread = false;

// CPU time of the process (RUSAGE_SELF) or of the calling thread (RUSAGE_THREAD).
Runtime::CpuTime cpu_time(int who) {
  struct rusage usage {};
  if (::getrusage(who, &usage) != 0) return {};
  const auto us = [](const timeval& t) { return int64_t{t.tv_sec} * 1'000'000 + t.tv_usec; };
  return {us(usage.ru_utime), us(usage.ru_stime)};
}

bool in_main_fiber() {
  return boost::fibers::context::active()->is_context(boost::fibers::type::main_context);
}

uint64_t os_seed() {
  std::random_device device;
  return (static_cast<uint64_t>(device()) << 32) ^ device();
}

[[noreturn]] void fiber_died(const std::string& name, const char* what) {
  std::fprintf(stderr, "fatal: exception escaped fiber '%s': %s\n", name.c_str(), what);
  std::fflush(stdout);
  std::fflush(stderr);
  std::abort();
}

class LoopRuntime final : public RealRuntime, public fiber::ParkSite, public Offload {
 public:
  explicit LoopRuntime(RealRuntimeOptions options)
      : options_(std::move(options)),
        scheduler_(thread_scheduler()),
        disk_(make_posix_disk(options_.data_dir, *this)),
        rng_(os_seed()) {
    RING_ASSERT_MSG(!runtime_on_this_thread, "one RealRuntime per thread");
    runtime_on_this_thread = true;
    logger_.set_level(options_.log_level);
  }
  ~LoopRuntime() override {
    // A parked fiber would point into this object, and Boost would wait for it at thread exit.
    RING_ASSERT_MSG(live_fibers_ == 0, "RealRuntime destroyed with fibers still running");
    runtime_on_this_thread = false;
  }
  Status open_log() { return logger_.open(options_.log_file); }

  // --- RealRuntime ---
  void run_until(const std::function<bool()>& done) override;
  boost::asio::io_context& io_context() override { return io_; }
  size_t live_fibers() const override { return live_fibers_; }
  void set_log_level(LogLevel level) override { logger_.set_level(level); }
  void flush_logs() override { logger_.flush(); }

  // --- Runtime ---
  Instant now() override { return Instant(Nanos(steady_now_ns())); }
  int64_t wall_time_us() override {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  void spawn(std::string name, std::function<void()> body) override;
  void sleep_until(Instant deadline) override {
    RING_ASSERT_MSG(!in_main_fiber(), "the loop's main fiber must never park");
    fiber::Parker parker;
    fiber::park_until(*this, parker, deadline.time_since_epoch().count());
  }
  void yield() override;
  std::unique_ptr<WaitQueue> make_wait_queue() override {
    return std::make_unique<fiber::FiberWaitQueue>(*this);
  }
  using Runtime::connect;
  using Runtime::listen;
  Result<std::unique_ptr<Listener>> listen(const std::string& host, uint16_t port,
                                           Transport transport) override {
    if (transport == Transport::tls) return tls_.listen(NetContext{io_, *this}, host, port);
    return listen_tcp(NetContext{io_, *this}, host, port);
  }
  Result<std::unique_ptr<Stream>> connect(const std::string& host, uint16_t port,
                                          Transport transport) override {
    if (transport == Transport::tls) return tls_.connect(NetContext{io_, *this}, host, port);
    return connect_tcp(NetContext{io_, *this}, host, port);
  }
  Status configure_tls(const TlsSettings& settings) override { return tls_.configure(settings); }
  Result<std::unique_ptr<DatagramSocket>> open_datagram(const std::string& host,
                                                        uint16_t port) override {
    return open_udp(NetContext{io_, *this}, host, port);
  }
  Disk& disk() override { return *disk_; }
  Rng& rng() override { return rng_; }
  void log(LogLevel level, std::string_view message) override {
    logger_.write(level, wall_time_us(), message);
  }
  uint64_t process_rss_bytes() override;
  int64_t process_id() override { return ::getpid(); }
  CpuTime process_cpu_time() override { return cpu_time(RUSAGE_SELF); }
  // The loop runs on the thread that made this runtime and calls this.
  CpuTime loop_thread_cpu_time() override { return cpu_time(RUSAGE_THREAD); }
  std::string system_name() override {
    struct utsname name {};
    if (::uname(&name) != 0) return "unknown";
    return std::string(name.sysname) + " " + name.release + " " + name.machine;
  }

  // --- ParkSite: the timer queue runs on steady-clock ns, the same clock as now() ---
  fiber::TimerQueue& timers() override { return timers_; }
  int64_t timer_deadline_ns(int64_t node_deadline_ns) override { return node_deadline_ns; }

  // --- Offload ---
  void run_blocking(const std::function<void()>& call) override;

 private:
  void handle_events();
  void wait_for_events();
  void run_fiber(const std::string& name, const std::function<void()>& body);

  RealRuntimeOptions options_;
  fiber::SchedulerState& scheduler_;
  // Run by this thread only; the offload thread posts completions into it (hint 1 keeps
  // Asio's locks, which that needs).
  boost::asio::io_context io_{1};
  // Keeps run_one from returning at once when no socket operation is pending (timers only).
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
      boost::asio::make_work_guard(io_);
  fiber::TimerQueue timers_;
  std::vector<fiber::Parker*> yielders_;  // fibers in yield(), woken after the next round
  // Declared after io_, so it is destroyed (its thread joined) first: a finished call posts its
  // completion to io_. No call is in flight by then (its fiber would still be live).
  boost::asio::thread_pool offload_pool_{1};
  std::unique_ptr<Disk> disk_;
  Rng rng_;
  Logger logger_;
  TlsContexts tls_{[this](LogLevel level, std::string_view message) { log(level, message); }};
  size_t live_fibers_ = 0;
};

void LoopRuntime::run_until(const std::function<bool()>& done) {
  RING_ASSERT_MSG(in_main_fiber(), "run_until runs the loop: call it from the thread's main fiber");
  while (!done()) {
    // The main context is picked only when no worker is ready (see fiber/scheduler.h), so this
    // returns once every worker has parked.
    boost::this_fiber::yield();
    if (done()) break;  // before blocking in epoll: the workers may just have finished
    handle_events();
  }
}

// Fires due timers and handles I/O completions (waiting for one if no fiber is ready), which
// makes workers ready for the next round; then wakes the fibers that yielded in this round.
void LoopRuntime::handle_events() {
  std::vector<fiber::Parker*> yielders = std::exchange(yielders_, {});
  timers_.fire_due(steady_now_ns());
  if (fiber::workers_ready(scheduler_) || !yielders.empty()) {
    io_.poll();  // handle what is ready, without waiting
  } else {
    wait_for_events();
  }
  for (fiber::Parker* parker : yielders) parker->unpark();
}

// Nothing is ready: after polling briefly, handle one I/O completion, blocking in epoll until one
// comes or the next timer deadline passes. One epoll_wait yields completions for every ready
// socket; Asio queues them, and the following rounds take them one by one from that queue without
// a system call.
// (Running them all at once with poll() would cost a second, non-blocking epoll_wait per round:
// poll() always ends by asking the kernel again.)
void LoopRuntime::wait_for_events() {
  // Poll a little first (see loop_poll_before_sleep_ns): a request arriving now needs no wake-up.
  int64_t now = steady_now_ns();
  const int64_t poll_until = now + constants::loop_poll_before_sleep_ns;
  do {
    if (io_.poll_one() > 0) return;
    now = steady_now_ns();  // also the start of the wait below
  } while (now < poll_until);
  int64_t until = now + ms_to_ns(constants::loop_wait_max_ms);
  if (auto next = timers_.next_deadline()) until = std::min(until, *next);
  if (until > now) {
    // Asio rounds the epoll timeout up to whole milliseconds, so a near deadline cannot spin.
    io_.run_one_until(std::chrono::steady_clock::time_point(std::chrono::nanoseconds(until)));
  } else {
    io_.poll();
  }
}

void LoopRuntime::spawn(std::string name, std::function<void()> body) {
  ++live_fibers_;
  boost::fibers::fiber fiber(
      std::allocator_arg, boost::fibers::protected_fixedsize_stack(constants::fiber_stack_bytes),
      [this, name = std::move(name), body = std::move(body)] { run_fiber(name, body); });
  fiber.detach();
}

void LoopRuntime::run_fiber(const std::string& name, const std::function<void()>& body) {
  try {
    body();
  } catch (const boost::context::detail::forced_unwind&) {
    throw;  // Boost.Context unwinding the stack: must pass through
  } catch (const NodeCrashed&) {
    // Only the simulator throws it; ending the fiber is the right response anyway.
  } catch (const std::exception& error) {
    fiber_died(name, error.what());
  } catch (...) {
    fiber_died(name, "unknown exception");
  }
  --live_fibers_;
}

// Parks until the loop has handled pending events and every other ready fiber has run once, so
// a fiber that yields in a long loop cannot starve the sockets.
void LoopRuntime::yield() {
  RING_ASSERT_MSG(!in_main_fiber(), "yield from a spawned fiber");
  fiber::Parker parker;
  yielders_.push_back(&parker);
  fiber::park_until(*this, parker, std::nullopt);
}

void LoopRuntime::run_blocking(const std::function<void()>& call) {
  if (in_main_fiber()) {
    call();
    return;
  }
  IoWait wait;
  boost::asio::post(offload_pool_, [this, &call, done = wait.handler()]() mutable {
    call();
    boost::asio::post(io_, [done]() mutable { done(boost::system::error_code()); });
  });
  wait.wait(*this);
}

uint64_t LoopRuntime::process_rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t size_pages = 0;
  uint64_t resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return 0;
  return resident_pages * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace

Result<std::unique_ptr<RealRuntime>> make_real_runtime(RealRuntimeOptions options) {
  auto runtime = std::make_unique<LoopRuntime>(std::move(options));
  if (Status status = runtime->open_log(); !status) return status;
  return std::unique_ptr<RealRuntime>(std::move(runtime));
}

}  // namespace ringcache::real
