// Crash, restart and pause of a simulated process; what a crash does to the disk.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "runtime/sim/own_thread.h"
#include "runtime/sim/simulation.h"

namespace ringcache::sim {
namespace {

using namespace std::chrono_literals;
constexpr int64_t second_ns = 1'000'000'000;

TEST(Crash, FibersOfACrashedNodeUnwind) {
  on_own_thread([] {
    Simulation sim(5);
    Host& host = sim.add_host("n0", "10.0.0.1");
    SimRuntime& runtime = sim.boot(host);
    int unwound = 0;
    struct Guard {
      int& count;
      ~Guard() { ++count; }
    };
    auto queue = runtime.make_wait_queue();
    runtime.spawn("sleeper", [&] {
      Guard guard{unwound};
      runtime.sleep_for(1h);
      ADD_FAILURE() << "slept through a crash";
    });
    runtime.spawn("waiter", [&] {
      Guard guard{unwound};
      queue->wait();
      ADD_FAILURE() << "woke normally after a crash";
    });
    runtime.spawn("listener", [&] {
      Guard guard{unwound};
      auto listener = runtime.listen("0.0.0.0", 6379);
      (void)listener.value()->accept();
      ADD_FAILURE() << "accepted after a crash";
    });
    sim.world().run([] { return false; }, second_ns);
    bool quiesced = false;
    sim.crash(host, [&] { quiesced = true; });
    sim.world().run([&] { return quiesced; }, 2 * second_ns);
    EXPECT_TRUE(quiesced);
    EXPECT_EQ(unwound, 3);
    EXPECT_EQ(sim.world().live_fibers(), 0u);
    EXPECT_EQ(sim.process(host), nullptr);
  });
}

TEST(Crash, UnsyncedBytesVanish) {
  on_own_thread([] {
    Simulation sim(9);
    Host& host = sim.add_host("n0", "10.0.0.1");
    host.disk_options.crash.keep_unsynced_chance = 0.0;
    SimRuntime& runtime = sim.boot(host);
    bool written = false;
    runtime.spawn("writer", [&] {
      auto file = runtime.disk().open_append("log", false);
      ASSERT_TRUE(file.is_ok());
      ASSERT_TRUE(file.value()->append("durable|"));
      ASSERT_TRUE(file.value()->sync());
      ASSERT_TRUE(file.value()->append("volatile"));
      written = true;
      runtime.sleep_for(1h);
    });
    sim.world().run([&] { return written; }, second_ns);
    EXPECT_EQ(host.disk.file_size("log").value(), 16u);
    sim.crash(host);
    sim.world().run([&] { return sim.world().live_fibers() == 0; }, 2 * second_ns);
    EXPECT_EQ(host.disk.file_size("log").value(), 8u);
    EXPECT_EQ(host.disk.unsynced_bytes(), 0u);
  });
}

TEST(Crash, TornWriteKeepsAPrefixOfTheTail) {
  on_own_thread([] {
    for (uint64_t seed = 1; seed < 20; ++seed) {
      MemDisk disk;
      Rng rng(seed);
      auto inode = disk.open("f", false).value();
      ASSERT_TRUE(disk.append(inode, "0123456789"));
      disk.sync(inode);
      ASSERT_TRUE(disk.append(inode, std::string(100, 'x')));
      CrashOptions options;
      options.keep_unsynced_chance = 0.0;
      options.torn_chance = 1.0;
      disk.crash(rng, options);
      char buffer[10];
      ASSERT_EQ(disk.read("f", 0, buffer).value(), 10u);
      EXPECT_EQ(std::string(buffer, 10), "0123456789");
      EXPECT_LE(disk.file_size("f").value(), 110u);
    }
  });
}

TEST(Crash, UnsyncedRenameIsLostWhenDirectoryEntriesNeedSync) {
  MemDisk disk;
  disk.set_dir_entries_need_sync(true);
  auto inode = disk.open("a", false).value();
  disk.sync(inode);
  disk.sync_dir("");
  ASSERT_TRUE(disk.rename("a", "b"));
  Rng rng(1);
  disk.crash(rng, CrashOptions{});
  EXPECT_TRUE(disk.file_size("a").is_ok());
  EXPECT_FALSE(disk.file_size("b").is_ok());
}

TEST(Crash, RestartRunsANewIncarnationOnTheSameDisk) {
  on_own_thread([] {
    Simulation sim(11);
    Host& host = sim.add_host("n0", "10.0.0.1");
    SimRuntime& first = sim.boot(host);
    first.spawn("writer", [&] {
      auto file = first.disk().open_append("data", false);
      (void)file.value()->append("kept");
      (void)file.value()->sync();
      first.sleep_for(1h);
    });
    sim.world().run([] { return false; }, second_ns);
    std::string seen;
    sim.crash(host, [&] {
      SimRuntime& second = sim.boot(host);
      EXPECT_EQ(second.incarnation(), 2u);
      second.spawn("reader", [&] {
        char buffer[16];
        auto count = second.disk().read("data", 0, buffer);
        if (count) seen.assign(buffer, count.value());
      });
    });
    sim.world().run([&] { return !seen.empty(); }, 2 * second_ns);
    EXPECT_EQ(seen, "kept");
  });
}

TEST(Pause, FibersStopWhileTimeRunsOn) {
  on_own_thread([] {
    Simulation sim(13);
    Host& host = sim.add_host("n0", "10.0.0.1");
    SimRuntime& runtime = sim.boot(host);
    int ticks = 0;
    runtime.spawn("ticker", [&] {
      for (;;) {
        runtime.sleep_for(100ms);
        ++ticks;
      }
    });
    sim.world().run([] { return false; }, second_ns);
    const int before = ticks;
    EXPECT_GE(before, 9);
    runtime.pause();
    sim.world().run([] { return false; }, 5 * second_ns);
    EXPECT_LE(ticks, before + 1);
    runtime.resume();
    sim.world().run([] { return false; }, 6 * second_ns);
    EXPECT_GE(ticks, before + 9);
  });
}

TEST(Clock, DriftAndJumps) {
  NodeClock clock(1000, 0, 1000);  // 0.1% fast
  EXPECT_EQ(clock.monotonic_ns(1'000'000'000), 1000 + 1'001'000'000);
  const int64_t deadline = clock.true_deadline_ns(2'000'000'000, 0);
  EXPECT_GE(clock.monotonic_ns(deadline), 2'000'000'000);
  EXPECT_LT(clock.monotonic_ns(deadline - 1), 2'000'000'000);
  const int64_t wall_before = clock.wall_us(5'000'000'000);
  clock.jump_wall(5'000'000'000, -2'000'000);
  EXPECT_EQ(clock.wall_us(5'000'000'000), wall_before - 2'000'000);
  auto [low, high] = clock.wall_range_us(4'000'000'000, 6'000'000'000);
  EXPECT_EQ(high, wall_before);
  EXPECT_LT(low, wall_before - 1'000'000);
  clock.set_drift_ppm(6'000'000'000, -500);
  EXPECT_EQ(clock.monotonic_ns(6'000'000'000) + 999'500'000, clock.monotonic_ns(7'000'000'000));
}

}  // namespace
}  // namespace ringcache::sim
