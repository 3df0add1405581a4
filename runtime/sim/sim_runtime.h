#pragma once
// The Runtime of one incarnation of the process on a simulated host: from boot to crash.
//
// Crash: the incarnation is marked crashed and every fiber parked on it is woken; each throws
// NodeCrashed from its runtime call (ParkSite::after_wake) and unwinds. Calls that only release
// resources (Stream/Listener/File close, destructors) never throw, and nothing is thrown while
// an exception is already unwinding. When the last fiber has ended, on_quiesced runs (in the
// main fiber) and the owner may destroy the Node, then this runtime.
//
// Pause: the process is frozen while time runs on. Its fibers stop at their next suspension
// point and continue, in seeded order, after resume(). Non-suspending calls never stop, so the
// code between two suspension points stays atomic, as with a real frozen process.

#include <functional>
#include <memory>
#include <string>

#include "core/runtime.h"
#include "runtime/fiber/intrusive_list.h"
#include "runtime/fiber/parker.h"
#include "runtime/sim/host.h"
#include "runtime/sim/sim_env.h"

namespace ringcache::sim {

class SimDisk;

class SimRuntime final : public Runtime, public fiber::ParkSite {
 public:
  SimRuntime(SimEnv env, Host& host);
  ~SimRuntime() override;

  // --- Runtime --------------------------------------------------------------------------------
  Instant now() override;
  int64_t wall_time_us() override;
  void spawn(std::string name, std::function<void()> body) override;
  void sleep_until(Instant deadline) override;
  void yield() override;
  std::unique_ptr<WaitQueue> make_wait_queue() override;
  using Runtime::connect;
  using Runtime::listen;
  // TLS is carried as plain bytes: the node's code paths run, nothing is encrypted.
  Result<std::unique_ptr<Listener>> listen(const std::string& host, uint16_t port,
                                           Transport transport) override;
  Result<std::unique_ptr<Stream>> connect(const std::string& host, uint16_t port,
                                          Transport transport) override;
  // Accepts any settings and ignores them (no certificate files exist in a simulation).
  Status configure_tls(const TlsSettings&) override { return Status::ok(); }
  Result<std::unique_ptr<DatagramSocket>> open_datagram(const std::string& host,
                                                        uint16_t port) override;
  Disk& disk() override;
  Rng& rng() override { return rng_; }
  void log(LogLevel level, std::string_view message) override;
  bool buggify(std::string_view site) override;

  // --- ParkSite -------------------------------------------------------------------------------
  fiber::TimerQueue& timers() override;
  int64_t timer_deadline_ns(int64_t node_deadline_ns) override;
  void on_park(fiber::Parker& parker) override { parked_.push_back(&parker); }
  void on_unpark(fiber::Parker& parker) override { parked_.remove(&parker); }
  void after_wake() override { gate(); }

  // --- simulator side -------------------------------------------------------------------------
  Host& host() { return host_; }
  SimEnv& env() { return env_; }
  uint64_t incarnation() const { return incarnation_; }
  // Main fiber only.
  void crash();
  void pause();
  void resume();
  bool crashed() const { return crashed_; }
  bool paused() const { return paused_; }
  uint64_t live_fibers() const { return live_fibers_; }
  // Runs (in the main fiber) once the incarnation has crashed and its last fiber has ended.
  void set_on_quiesced(std::function<void()> on_quiesced) { on_quiesced_ = std::move(on_quiesced); }

  // Parks the calling fiber for `delay_ns` of true time: network and disk latency.
  void wait_true(int64_t delay_ns);
  // After the last fiber ended: the owner destroys what ran on this process (the Node), whose
  // destructors may still call the runtime; they must not be thrown at.
  void begin_teardown() { tearing_down_ = true; }
  // Throws NodeCrashed if the incarnation crashed (and nothing is unwinding already).
  void check();
  // check(), then waits out a pause: called at every suspension point.
  void gate();

 private:
  void fiber_ended();
  void crash_disk();

  SimEnv env_;
  Host& host_;
  uint64_t incarnation_;
  Rng rng_;
  std::unique_ptr<SimDisk> disk_;
  fiber::IntrusiveList<fiber::Parker> parked_;  // in park order: crash wakes them in that order
  fiber::IntrusiveList<fiber::Parker> pause_waiters_;  // fibers stopped by a pause
  uint64_t live_fibers_ = 0;
  bool crashed_ = false;
  bool paused_ = false;
  bool tearing_down_ = false;
  std::function<void()> on_quiesced_;
};

}  // namespace ringcache::sim
