#include "runtime/sim/sim_runtime.h"

#include <fmt/format.h>

#include <boost/fiber/operations.hpp>
#include <exception>

#include "runtime/fiber/wait_queue.h"
#include "runtime/sim/asan_fiber.h"
#include "runtime/sim/buggify.h"
#include "runtime/sim/faults.h"
#include "runtime/sim/network.h"
#include "runtime/sim/sim_disk.h"
#include "runtime/sim/world.h"

namespace ringcache::sim {
namespace {
const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::verbose:
      return "verbose";
    case LogLevel::notice:
      return "notice";
    case LogLevel::warning:
      return "warning";
  }
  return "?";
}
}  // namespace

SimRuntime::SimRuntime(SimEnv env, Host& host)
    : env_(env),
      host_(host),
      incarnation_(++host.incarnations),
      rng_(host.rng.fork_seed()),
      disk_(std::make_unique<SimDisk>(*this, host.disk, host.disk_options)) {}

SimRuntime::~SimRuntime() {
  RING_ASSERT_MSG(live_fibers_ == 0, "a SimRuntime destroyed while its fibers run");
}

void SimRuntime::check() {
  if (crashed_ && !tearing_down_ && std::uncaught_exceptions() == 0) {
    asan::unpoison_above_here();  // ASan builds only: see asan_fiber.h
    throw NodeCrashed{};
  }
}

void SimRuntime::gate() {
  check();
  while (paused_ && !crashed_) {
    fiber::Parker parker;
    pause_waiters_.push_back(&parker);
    parker.park();
    pause_waiters_.remove(&parker);
  }
  check();
}

Instant SimRuntime::now() {
  check();
  return Instant(Nanos(host_.clock.monotonic_ns(env_.world.now_ns())));
}

int64_t SimRuntime::wall_time_us() {
  check();
  return host_.clock.wall_us(env_.world.now_ns());
}

void SimRuntime::spawn(std::string name, std::function<void()> body) {
  check();
  ++live_fibers_;
  env_.world.spawn(host_.name + "/" + name, [this, body = std::move(body)] {
    struct Ended {
      SimRuntime& runtime;
      ~Ended() { runtime.fiber_ended(); }
    } ended{*this};
    gate();
    body();
  });
}

void SimRuntime::fiber_ended() {
  --live_fibers_;
  if (live_fibers_ == 0 && crashed_ && on_quiesced_) {
    // Not from inside the ending fiber: the owner destroys this runtime in the callback.
    env_.world.after(0, "sim.quiesced", [callback = on_quiesced_] { callback(); });
  }
}

void SimRuntime::sleep_until(Instant deadline) {
  gate();
  fiber::Parker parker;
  fiber::park_until(*this, parker, deadline.time_since_epoch().count());
}

void SimRuntime::wait_true(int64_t delay_ns) {
  gate();
  fiber::Parker parker;
  const World::EventKey key =
      env_.world.after(delay_ns, "sim.wake", [&parker] { parker.unpark(); });
  struct Cancel {  // the event must not touch the parker of a fiber that unwound
    World& world;
    World::EventKey key;
    ~Cancel() { world.cancel(key); }
  } cancel{env_.world, key};
  fiber::park_until(*this, parker, std::nullopt);
}

void SimRuntime::yield() {
  gate();
  boost::this_fiber::yield();
  gate();
}

std::unique_ptr<WaitQueue> SimRuntime::make_wait_queue() {
  return std::make_unique<fiber::FiberWaitQueue>(*this);
}

Result<std::unique_ptr<Listener>> SimRuntime::listen(const std::string& host, uint16_t port,
                                                     Transport) {
  check();
  return env_.network.listen(*this, host, port);
}

Result<std::unique_ptr<Stream>> SimRuntime::connect(const std::string& host, uint16_t port,
                                                    Transport) {
  gate();
  return env_.network.connect(*this, host, port);
}

Result<std::unique_ptr<DatagramSocket>> SimRuntime::open_datagram(const std::string& host,
                                                                  uint16_t port) {
  check();
  return env_.network.datagrams().open(*this, host, port);
}

Disk& SimRuntime::disk() {
  check();
  return *disk_;
}

void SimRuntime::log(LogLevel level, std::string_view message) {
  check();
  RunDigest& digest = env_.world.digest();
  digest.fold_bytes(message);
  if (digest.verbose()) {
    digest.note(env_.world.now_ns(),
               fmt::format("{} [{}] {} {}", host_.name, host_.clock.wall_us(env_.world.now_ns()),
                           level_name(level), message));
  }
}

bool SimRuntime::buggify(std::string_view site) {
  check();
  return env_.buggify.fire(site);
}

fiber::TimerQueue& SimRuntime::timers() { return env_.world.timers(); }

int64_t SimRuntime::timer_deadline_ns(int64_t node_deadline_ns) {
  return host_.clock.true_deadline_ns(node_deadline_ns, env_.world.now_ns());
}

void SimRuntime::crash() {
  if (crashed_) return;
  crashed_ = true;
  paused_ = false;
  env_.world.digest().event("sim.crash", env_.world.now_ns(), incarnation_);
  env_.network.process_crashed(*this);
  crash_disk();
  // Wake every parked fiber; each throws NodeCrashed from after_wake and unwinds.
  for (fiber::Parker* parker : parked_.snapshot()) parker->unpark();
  for (fiber::Parker* parker : pause_waiters_.snapshot()) parker->unpark();
  if (live_fibers_ == 0 && on_quiesced_) {
    env_.world.after(0, "sim.quiesced", [callback = on_quiesced_] { callback(); });
  }
}

void SimRuntime::crash_disk() {
  const CrashDamage damage = host_.disk.crash(host_.rng, host_.disk_options.crash);
  if (damage.bytes_lost > 0) env_.faults.count("disk.lost_unsynced");
  for (uint64_t i = 0; i < damage.files_torn; ++i) env_.faults.count("disk.torn_write");
  for (uint64_t i = 0; i < damage.entries_lost; ++i) env_.faults.count("disk.lost_dir_entry");
  env_.world.digest().event("disk.crash", env_.world.now_ns(), damage.bytes_lost, damage.files_torn,
                           damage.entries_lost);
}

void SimRuntime::pause() {
  if (crashed_) return;
  paused_ = true;
  env_.world.digest().event("sim.pause", env_.world.now_ns(), incarnation_);
}

void SimRuntime::resume() {
  if (!paused_) return;
  paused_ = false;
  env_.world.digest().event("sim.resume", env_.world.now_ns(), incarnation_);
  for (fiber::Parker* parker : pause_waiters_.snapshot()) parker->unpark();
}

}  // namespace ringcache::sim
