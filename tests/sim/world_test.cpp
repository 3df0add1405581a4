// The simulator's world: virtual time, seeded interleavings, the trace hash.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "runtime/sim/own_thread.h"
#include "runtime/sim/simulation.h"

namespace ringcache::sim {
namespace {

using namespace std::chrono_literals;
constexpr int64_t second_ns = 1'000'000'000;

TEST(World, AnHourOfSleepTakesNoWallTime) {
  const auto started = std::chrono::steady_clock::now();
  on_own_thread([] {
    Simulation sim(1);
    SimRuntime& runtime = sim.boot(sim.add_host("n0", "10.0.0.1"));
    bool woke = false;
    runtime.spawn("sleeper", [&] {
      runtime.sleep_for(3600s);
      woke = true;
    });
    sim.world().run([&] { return woke; }, 7200 * second_ns);
    EXPECT_TRUE(woke);
    EXPECT_GE(sim.world().now_ns(), 3600 * second_ns);
    EXPECT_LT(sim.world().now_ns(), 3601 * second_ns);
  });
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

// Several fibers that sleep random amounts and record who ran when: the order depends on the
// seeded scheduler choices and is identical for one seed.
struct Interleaving {
  std::vector<std::string> order;
  uint64_t hash = 0;
};

Interleaving interleave(uint64_t seed) {
  return on_own_thread([seed] {
    Simulation sim(seed);
    SimRuntime& runtime = sim.boot(sim.add_host("n0", "10.0.0.1"));
    Interleaving result;
    for (int id = 0; id < 5; ++id) {
      runtime.spawn("worker", [&, id] {
        for (int step = 0; step < 5; ++step) {
          result.order.push_back(std::to_string(id) + "." + std::to_string(step));
          runtime.yield();
        }
      });
    }
    sim.world().run([&] { return result.order.size() == 25; }, second_ns);
    result.hash = sim.world().digest().hash();
    return result;
  });
}

TEST(World, SameSeedSameTrace) {
  const Interleaving first = interleave(42);
  const Interleaving second = interleave(42);
  EXPECT_EQ(first.order, second.order);
  EXPECT_EQ(first.hash, second.hash);
}

TEST(World, DifferentSeedsExploreDifferentInterleavings) {
  const Interleaving base = interleave(1);
  int different = 0;
  for (uint64_t seed = 2; seed < 12; ++seed) {
    const Interleaving other = interleave(seed);
    if (other.order != base.order) ++different;
    EXPECT_NE(other.hash, base.hash);
  }
  EXPECT_GE(different, 8);
}

TEST(World, ReportsDeadlock) {
  on_own_thread([] {
    Simulation sim(3);
    SimRuntime& runtime = sim.boot(sim.add_host("n0", "10.0.0.1"));
    auto queue = runtime.make_wait_queue();
    runtime.spawn("stuck", [&] { queue->wait(); });
    EXPECT_EQ(sim.world().run([] { return false; }, second_ns), World::Stop::deadlock);
    sim.shutdown();
  });
}

}  // namespace
}  // namespace ringcache::sim

namespace ringcache::sim {
namespace {
// Boost frees ended fibers only in its dispatcher; the world reaps them as it goes, so a long
// run that starts many short fibers (a connection each) does not keep their stacks.
TEST(World, ManyShortFibersRun) {
  on_own_thread([] {
    Simulation sim(17);
    SimRuntime& runtime = sim.boot(sim.add_host("n0", "10.0.0.1"));
    int ended = 0;
    runtime.spawn("spawner", [&] {
      for (int i = 0; i < 20000; ++i) {
        runtime.spawn("short", [&] { ++ended; });
        runtime.sleep_for(std::chrono::milliseconds(1));
      }
    });
    sim.world().run([&] { return ended == 20000; }, 100 * second_ns);
    EXPECT_EQ(ended, 20000);
  });
}
}  // namespace
}  // namespace ringcache::sim
