#pragma once
// The online rewrite: a consistent snapshot of the keyspace written as a new base file while
// clients keep writing, without fork and without stopping the node.
//
// At the start (one step, no suspension): the writer is switched to a new incremental file,
// and the keyspace begins a snapshot (Keyspace::begin_snapshot). From then on:
//   * the walker visits the table with the SCAN cursor, a few hundred keys per step, yielding
//     to clients between steps, and serialises each key it is first to take;
//   * before any write command runs, dispatch hands each of its keys to before_write(), which
//     serialises the key first if nobody took it yet — so the base holds every key with the value
//     it had at the start, never a later one;
//   * whatever changed after the start is in the new incremental file.
// Replaying base + new incremental file therefore gives the keyspace as it is: the base is the
// state at the start (each key present then, once, with its value then), the incremental file
// every change since, in order. docs/aof-format.md argues it in full.
//
// Each key is written as the commands that rebuild it (key_commands.h).
// Memory: the serialised output is cut into records of ~aof_rewrite_record_bytes and written
// out between steps, so the rewrite holds at most a few records plus the largest key.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/runtime.h"
#include "core/server/snapshot_gate.h"
#include "core/store/keyspace.h"

namespace ringcache::persistence {

// What the rewrite sees of the node, rather than the whole server: the keyspace it snapshots and
// walks with the SCAN cursor, the runtime it yields to between steps, and the installer of the
// hook that dispatch calls with each key before a write command runs (nullptr removes it).
struct KeyspaceWalk {
  using BeforeWrite = std::function<void(std::string_view key)>;
  store::Keyspace& keyspace;
  Runtime& runtime;
  std::function<void(BeforeWrite)> set_before_write;
  // Commands written before the keys: what recreates state that is not keys (FUNCTION LOAD).
  std::vector<std::vector<std::string>> preamble = {};
};

class AofRewrite {
 public:
  // Begins the snapshot and installs the before-write hook, holding `lease` (the keyspace's one
  // snapshot) until destroyed. Never suspends.
  AofRewrite(KeyspaceWalk walk, server::SnapshotGate::Lease lease,
             std::unique_ptr<WritableFile> out);
  ~AofRewrite();  // removes the hook, then releases the lease; an unfinished snapshot is abandoned
  AofRewrite(const AofRewrite&) = delete;
  AofRewrite& operator=(const AofRewrite&) = delete;

  // Suspending. Walks the keyspace, writes and syncs the base file. Errors: the file's.
  Status run();
  uint64_t bytes_written() const { return bytes_written_; }
  uint64_t keys_written() const { return keys_written_; }

 private:
  void take(const store::Entry& entry);
  void serialise(const store::Entry& entry);
  void emit(std::span<const std::string_view> argv);
  void cut_record();
  Status write_out();

  server::SnapshotGate::Lease lease_;  // first: released after everything else is gone
  KeyspaceWalk walk_;
  std::unique_ptr<WritableFile> out_;
  std::string payload_;  // commands of the record being filled
  std::string framed_;   // whole records waiting to be written
  uint64_t bytes_written_ = 0;
  uint64_t keys_written_ = 0;
  bool finished_ = false;
};

}  // namespace ringcache::persistence
