#pragma once
// core's Disk for one incarnation: MemDisk (the data) plus what makes a disk a disk — latency on
// every suspending call, and injected faults: bit flips on read, append errors (io_error,
// no_space), fsync errors, metadata errors (rename, remove, truncate, directory sync), slow I/O.
// Each fault kind is off at chance 0 and counted when it fires.
// Layered over MemDisk as LevelDB's fault-injection Env is over the real one.

#include <memory>
#include <string>

#include "core/runtime.h"
#include "runtime/sim/latency.h"
#include "runtime/sim/mem_disk.h"

namespace ringcache::sim {

class SimRuntime;

struct DiskOptions {
  Latency append_latency = Latency::uniform(5'000, 30'000);
  Latency sync_latency = Latency({{0.0, 200'000}, {0.9, 2'000'000}, {1.0, 10'000'000}});
  Latency read_latency = Latency::uniform(5'000, 50'000);
  double read_bitflip_chance = 0.0;
  double append_error_chance = 0.0;  // half io_error, half no_space
  double sync_error_chance = 0.0;
  // rename, remove, truncate and sync_dir fail with io_error (the directory is left unchanged).
  double metadata_error_chance = 0.0;
  double slow_chance = 0.0;  // an operation takes up to slow_ns_max longer
  int64_t slow_ns_max = 200'000'000;
  CrashOptions crash;
};

class SimDisk final : public Disk {
 public:
  SimDisk(SimRuntime& runtime, MemDisk& disk, const DiskOptions& options);

  Result<std::unique_ptr<WritableFile>> open_append(const std::string& path,
                                                    bool truncate) override;
  Result<size_t> read(const std::string& path, uint64_t offset, std::span<char> buffer) override;
  Result<uint64_t> file_size(const std::string& path) override;
  Status truncate(const std::string& path, uint64_t size) override;
  Status rename(const std::string& from, const std::string& to) override;
  Status remove(const std::string& path) override;
  Status make_dir(const std::string& path) override;
  Result<std::vector<std::string>> list(const std::string& dir) override;
  Status sync_dir(const std::string& dir) override;

  // Shared with the files it opens.
  // Waits the operation's latency (plus an injected slowdown) in true time.
  void wait(const Latency& latency);
  // True (and counted under `kind`) when a fault with `chance` fires now.
  bool inject(double chance, std::string_view kind);
  // True when a metadata operation (`op`) is to fail now; counted as disk.metadata_error.
  bool inject_metadata_error(std::string_view op);
  void trace(std::string_view op, uint64_t a, uint64_t b);
  SimRuntime& runtime() { return runtime_; }
  MemDisk& mem() { return disk_; }
  const DiskOptions& options() const { return options_; }

 private:
  SimRuntime& runtime_;
  MemDisk& disk_;
  const DiskOptions& options_;
};

}  // namespace ringcache::sim
