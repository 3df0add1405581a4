#include "runtime/sim/sim_disk.h"

#include "runtime/sim/faults.h"
#include "runtime/sim/sim_runtime.h"
#include "runtime/sim/world.h"

namespace ringcache::sim {
namespace {

class SimWritableFile final : public WritableFile {
 public:
  SimWritableFile(SimDisk& disk, MemDisk::Inode inode) : disk_(disk), inode_(inode) {}

  Status append(std::string_view data) override {
    disk_.runtime().gate();
    RING_ASSERT_MSG(!closed_, "append after close");
    if (disk_.inject(disk_.options().append_error_chance, "disk.append_error")) {
      disk_.wait(disk_.options().append_latency);
      const bool no_space = disk_.runtime().rng().chance(0.5);
      return no_space ? Status(Errc::no_space, "injected ENOSPC")
                      : Status(Errc::io_error, "injected EIO on write");
    }
    Status status = disk_.mem().append(inode_, data);
    disk_.trace("disk.append", inode_, data.size());
    disk_.wait(disk_.options().append_latency);
    return status;
  }

  Status sync() override {
    disk_.runtime().gate();
    RING_ASSERT_MSG(!closed_, "sync after close");
    disk_.wait(disk_.options().sync_latency);
    // A failed fsync leaves the tail unsynced (it may still be lost), as Linux does.
    if (disk_.inject(disk_.options().sync_error_chance, "disk.sync_error")) {
      return Status(Errc::io_error, "injected EIO on fsync");
    }
    disk_.mem().sync(inode_);
    disk_.trace("disk.sync", inode_, disk_.mem().size(inode_));
    return Status::ok();
  }

  Status close() override {
    closed_ = true;  // releases only: never throws, even on a crashed node
    return Status::ok();
  }

  uint64_t size() const override { return disk_.mem().size(inode_); }

 private:
  SimDisk& disk_;
  MemDisk::Inode inode_;
  bool closed_ = false;
};

}  // namespace

SimDisk::SimDisk(SimRuntime& runtime, MemDisk& disk, const DiskOptions& options)
    : runtime_(runtime), disk_(disk), options_(options) {}

void SimDisk::wait(const Latency& latency) {
  int64_t delay = latency.sample(runtime_.rng());
  if (inject(options_.slow_chance, "disk.slow")) {
    delay += static_cast<int64_t>(runtime_.rng().below(options_.slow_ns_max) + 1);
  }
  runtime_.wait_true(delay);
}

bool SimDisk::inject(double chance, std::string_view kind) {
  if (chance <= 0.0 || !runtime_.rng().chance(chance)) return false;
  runtime_.env().faults.count(kind);
  runtime_.env().world.digest().event(kind, runtime_.env().world.now_ns());
  return true;
}

bool SimDisk::inject_metadata_error(std::string_view op) {
  if (!inject(options_.metadata_error_chance, "disk.metadata_error")) return false;
  trace(op, 1, 0);
  return true;
}

void SimDisk::trace(std::string_view op, uint64_t a, uint64_t b) {
  runtime_.env().world.digest().event(op, runtime_.env().world.now_ns(), a, b);
}

Result<std::unique_ptr<WritableFile>> SimDisk::open_append(const std::string& path, bool truncate) {
  runtime_.check();
  auto inode = disk_.open(path, truncate);
  trace("disk.open", inode.is_ok() ? inode.value() : 0, truncate);
  if (!inode) return inode.status();
  return std::unique_ptr<WritableFile>(std::make_unique<SimWritableFile>(*this, inode.value()));
}

Result<size_t> SimDisk::read(const std::string& path, uint64_t offset, std::span<char> buffer) {
  runtime_.gate();
  wait(options_.read_latency);
  auto count = disk_.read(path, offset, buffer);
  trace("disk.read", offset, count.is_ok() ? count.value() : 0);
  if (count.is_ok() && count.value() > 0 && inject(options_.read_bitflip_chance, "disk.bitflip")) {
    const uint64_t bit = runtime_.rng().below(count.value() * 8);
    buffer[bit / 8] = static_cast<char>(buffer[bit / 8] ^ (1 << (bit % 8)));
  }
  return count;
}

Result<uint64_t> SimDisk::file_size(const std::string& path) {
  runtime_.check();
  return disk_.file_size(path);
}

Status SimDisk::truncate(const std::string& path, uint64_t size) {
  runtime_.check();
  if (inject_metadata_error("disk.truncate")) {
    return Status(Errc::io_error, "injected EIO on truncate " + path);
  }
  trace("disk.truncate", size, 0);
  return disk_.truncate(path, size);
}

Status SimDisk::rename(const std::string& from, const std::string& to) {
  runtime_.check();
  if (inject_metadata_error("disk.rename")) {
    return Status(Errc::io_error, "injected EIO on rename " + from);
  }
  trace("disk.rename", 0, 0);
  return disk_.rename(from, to);
}

Status SimDisk::remove(const std::string& path) {
  runtime_.check();
  if (inject_metadata_error("disk.remove")) {
    return Status(Errc::io_error, "injected EIO on remove " + path);
  }
  trace("disk.remove", 0, 0);
  return disk_.remove(path);
}

Status SimDisk::make_dir(const std::string& path) {
  runtime_.check();
  return disk_.make_dir(path);
}

Result<std::vector<std::string>> SimDisk::list(const std::string& dir) {
  runtime_.check();
  return disk_.list(dir);
}

Status SimDisk::sync_dir(const std::string& dir) {
  runtime_.gate();
  wait(options_.sync_latency);
  // A failed directory fsync leaves the entries unsynced (a crash may still lose them).
  if (inject_metadata_error("disk.sync_dir")) {
    return Status(Errc::io_error, "injected EIO on fsync of directory " + dir);
  }
  disk_.sync_dir(dir);
  trace("disk.sync_dir", 0, 0);
  return Status::ok();
}

}  // namespace ringcache::sim
