#pragma once
// A Runtime for unit tests of code that only reads time, randomness and logs: the test sets the
// clocks by hand (as Seastar's manual_clock). Fibers, network and disk are not available here —
// tests that need them use the real runtime or the simulator.
//
// There is one fiber, so nothing can wake a wait: a wait queue moves the clock to the wait's
// deadline and times out (a blocking command answers as on its timeout, a paused one runs once
// the pause is over), and a wait without a deadline ends at once, also as a timeout.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/runtime.h"

namespace ringcache::testing {

class ManualRuntime final : public Runtime {
 public:
  explicit ManualRuntime(uint64_t seed = 1) : rng_(seed) {}

  // Moves both clocks forward.
  void advance(Nanos duration) {
    monotonic_ns_ += duration.count();
    wall_us_ += duration.count() / 1000;
  }
  void set_wall_time_ms(int64_t ms) { wall_us_ = ms * 1000; }
  const std::vector<std::string>& logged() const { return logged_; }

  Instant now() override { return Instant(Nanos(monotonic_ns_)); }
  int64_t wall_time_us() override { return wall_us_; }
  void spawn(std::string, std::function<void()>) override { unavailable("spawn"); }
  void sleep_until(Instant deadline) override {
    // Sleeping in a manual-clock test just moves the clock.
    if (deadline.time_since_epoch().count() > monotonic_ns_) {
      advance(Nanos(deadline.time_since_epoch().count() - monotonic_ns_));
    }
  }
  void yield() override {}
  std::unique_ptr<WaitQueue> make_wait_queue() override {
    return std::make_unique<TimingOutQueue>(*this);
  }
  using Runtime::connect;
  using Runtime::listen;
  Result<std::unique_ptr<Listener>> listen(const std::string&, uint16_t, Transport) override {
    unavailable("listen");
  }
  Result<std::unique_ptr<Stream>> connect(const std::string&, uint16_t, Transport) override {
    unavailable("connect");
  }
  Result<std::unique_ptr<DatagramSocket>> open_datagram(const std::string&, uint16_t) override {
    unavailable("open_datagram");
  }
  Disk& disk() override { unavailable("disk"); }
  Rng& rng() override { return rng_; }
  void log(LogLevel, std::string_view message) override { logged_.emplace_back(message); }

 private:
  class TimingOutQueue final : public WaitQueue {
   public:
    explicit TimingOutQueue(ManualRuntime& runtime) : runtime_(runtime) {}
    bool wait_until(std::optional<Instant> deadline) override {
      if (deadline) runtime_.sleep_until(*deadline);
      return false;
    }
    void notify_one() override {}
    void notify_all() override {}

   private:
    ManualRuntime& runtime_;
  };

  [[noreturn]] static void unavailable(const char* what) {
    RING_ASSERT_MSG(false, what);
    RING_UNREACHABLE();
  }
  int64_t monotonic_ns_ = 1'000'000'000;
  int64_t wall_us_ = 1'700'000'000'000'000;  // Nov 2023: a fixed, plausible wall time
  Rng rng_;
  std::vector<std::string> logged_;
};

}  // namespace ringcache::testing
