#pragma once
// The disk of one simulated host, as data: files with their durable (synced) prefix and their
// unsynced tail, a visible namespace and a durable one. No time, no faults here — SimDisk
// (sim_disk.h) adds latency and injected errors on top, and the crash model below decides what
// survives (as LevelDB's FaultInjectionTestEnv and FoundationDB's AsyncFileNonDurable).
//
// Simplifications, chosen to be conservative for the code under test:
//   * truncate is durable at once (both outcomes are possible on a real file system);
//   * make_dir is durable at once; file creation, rename and remove become durable at
//     sync_dir of their directory, or at once unless `dir_entries_need_sync`.

#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "core/util/rng.h"
#include "core/util/status.h"

namespace ringcache::sim {

struct CrashOptions {
  double keep_unsynced_chance = 0.2;   // the OS had written the tail back before the crash
  double torn_chance = 0.0;            // a prefix of the tail survives, its end garbage
  bool dir_entries_need_sync = false;  // namespace changes vanish unless sync_dir'ed
};

// What a crash did, for fault counters and the trace.
struct CrashDamage {
  uint64_t bytes_lost = 0;
  uint64_t files_torn = 0;
  uint64_t entries_lost = 0;
};

class MemDisk {
 public:
  using Inode = uint64_t;

  MemDisk();

  // Opens (creating if needed) `path` and returns its inode, which stays valid across renames.
  Result<Inode> open(const std::string& path, bool truncate);
  Status append(Inode inode, std::string_view data);
  // Makes everything appended to `inode` so far durable.
  void sync(Inode inode);
  uint64_t size(Inode inode) const;
  bool exists(Inode inode) const { return inodes_.count(inode) != 0; }

  Result<size_t> read(const std::string& path, uint64_t offset, std::span<char> buffer) const;
  Result<uint64_t> file_size(const std::string& path) const;
  Status truncate(const std::string& path, uint64_t size);
  Status rename(const std::string& from, const std::string& to);
  Status remove(const std::string& path);
  Status make_dir(const std::string& path);
  Result<std::vector<std::string>> list(const std::string& dir) const;
  void sync_dir(const std::string& dir);

  // The process died: unsynced state is dropped, kept, or torn, as `options` and `rng` decide.
  CrashDamage crash(Rng& rng, const CrashOptions& options);
  // Every byte and name gone (a replaced machine).
  void wipe();

  void set_dir_entries_need_sync(bool need) { dir_entries_need_sync_ = need; }
  // Bytes appended but not yet synced, over all files (for tests).
  uint64_t unsynced_bytes() const;

 private:
  struct File {
    std::string data;
    uint64_t durable_bytes = 0;  // data[0, durable_bytes) survives a crash
  };
  // "./a//b/" -> "a/b"; the root is "".
  static std::string normalize(const std::string& path);
  static std::string parent_of(const std::string& path);
  bool dir_exists(const std::string& dir) const { return dirs_.count(dir) != 0; }
  const File* find(const std::string& path) const;
  void set_entry(const std::string& path, Inode inode);
  void erase_entry(const std::string& path);
  void crash_file(File& file, Rng& rng, const CrashOptions& options, CrashDamage& damage);
  void collect_garbage();

  std::map<Inode, File> inodes_;
  std::map<std::string, Inode> visible_;
  std::map<std::string, Inode> durable_;
  std::set<std::string> dirs_;
  Inode next_inode_ = 1;
  bool dir_entries_need_sync_ = false;
};

}  // namespace ringcache::sim
