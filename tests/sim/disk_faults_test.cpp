// Injected disk faults on metadata operations: rename, remove, truncate and directory sync fail
// with io_error and leave the disk as it was.

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "runtime/sim/own_thread.h"
#include "runtime/sim/simulation.h"

namespace ringcache::sim {
namespace {

constexpr int64_t second_ns = 1'000'000'000;

// Runs `body` on a fiber of a node whose disk fails metadata operations with `chance`.
void on_faulty_disk(double chance, const std::function<void(Runtime&, MemDisk&)>& body) {
  on_own_thread([&] {
    Simulation sim(3);
    Host& host = sim.add_host("n0", "10.0.0.1");
    host.disk_options.metadata_error_chance = chance;
    SimRuntime& runtime = sim.boot(host);
    bool done = false;
    runtime.spawn("disk", [&] {
      body(runtime, host.disk);
      done = true;
    });
    sim.world().run([&] { return done; }, second_ns);
    EXPECT_TRUE(done);
  });
}

// A file "a" holding "abc", synced.
void write_a(Runtime& runtime) {
  auto file = runtime.disk().open_append("a", false);
  ASSERT_TRUE(file.is_ok());
  ASSERT_TRUE(file.value()->append("abc"));
  ASSERT_TRUE(file.value()->sync());
}

TEST(DiskFaults, MetadataOperationsFailAndLeaveTheDiskAsItWas) {
  on_faulty_disk(1.0, [](Runtime& runtime, MemDisk& mem) {
    write_a(runtime);
    Disk& disk = runtime.disk();
    EXPECT_EQ(disk.rename("a", "b").code(), Errc::io_error);
    EXPECT_EQ(disk.remove("a").code(), Errc::io_error);
    EXPECT_EQ(disk.truncate("a", 1).code(), Errc::io_error);
    EXPECT_EQ(disk.sync_dir("").code(), Errc::io_error);
    EXPECT_EQ(mem.file_size("a").value(), 3u);
    EXPECT_FALSE(mem.file_size("b").is_ok());
  });
}

TEST(DiskFaults, MetadataOperationsSucceedWithTheFaultOff) {
  on_faulty_disk(0.0, [](Runtime& runtime, MemDisk& mem) {
    write_a(runtime);
    Disk& disk = runtime.disk();
    EXPECT_TRUE(disk.truncate("a", 1).is_ok());
    EXPECT_TRUE(disk.rename("a", "b").is_ok());
    EXPECT_TRUE(disk.sync_dir("").is_ok());
    EXPECT_EQ(mem.file_size("b").value(), 1u);
    EXPECT_TRUE(disk.remove("b").is_ok());
    EXPECT_FALSE(mem.file_size("b").is_ok());
  });
}

}  // namespace
}  // namespace ringcache::sim
