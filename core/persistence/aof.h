#pragma once
// The append-only file of one node: boots it (load, then append), turns it on and off when
// appendonly changes, runs rewrites (BGREWRITEAOF and automatic ones) and answers INFO.
//
// Files live in `appenddirname` under the node's data directory, named as Redis 7 names them:
//   appendonly.aof.<seq>.base.aof   the snapshot a rewrite wrote
//   appendonly.aof.<seq>.incr.aof   every write since, as framed records
//   appendonly.aof.manifest         which of them, in order, make up the dataset
// See docs/aof-format.md.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/server/persistence_control.h"
#include "core/server/server.h"
#include "core/persistence/aof_loader.h"
#include "core/persistence/aof_manifest.h"
#include "core/persistence/aof_rewrite.h"
#include "core/persistence/aof_writer.h"

namespace ringcache::persistence {

// The rewrite's narrow view of a server (AofRewrite sees no more of it).
KeyspaceWalk keyspace_walk(server::Server& server);

class Aof final : public server::PersistenceControl {
 public:
  using Spawn = std::function<void(std::string name, std::function<void()> body)>;
  // `run` replays loaded commands (see RunCommand in aof_loader.h).
  Aof(server::Server& server, RunCommand run, Spawn spawn);
  ~Aof() override;
  Aof(const Aof&) = delete;
  Aof& operator=(const Aof&) = delete;

  // Before the node accepts clients: with appendonly on, the node is loading from now until the
  // control fiber has replayed the files.
  void prepare();
  // The control fiber's body: boots, then follows appendonly and the auto-rewrite thresholds
  // until shutdown() and stops the writer (everything written is synced). A boot that fails
  // (damage, unknown command) logs why and asks the node to shut down, as Redis exits.
  void run();
  // Never suspends: makes run() return soon.
  void shutdown();

  Result<std::string> request_rewrite() override;
  std::vector<std::pair<std::string, std::string>> info_fields() const override;

 private:
  const server::AofConfig& config() const { return server_.config().aof; }
  std::string path(std::string_view name) const {
    return config().dirname + "/" + std::string(name);
  }
  Status boot();
  using Lease = server::SnapshotGate::Lease;
  Status enable_at_runtime(Lease lease);
  void disable();
  void start_writer(OpenedFile file);
  Result<OpenedFile> create_incr(bool persist_manifest);
  bool rewrite_due() const;
  Status start_rewrite(bool switch_incr, Lease lease);
  Status start_snapshot(Lease lease);
  // What to make of a manifest that exists but cannot be read.
  enum class UnreadableManifest { fail, start_afresh };
  Status read_manifest_from_disk(UnreadableManifest unreadable);
  void cancel_rewrite();
  void run_rewrite();
  Status install_base(const std::string& temp);
  void remove_unlisted_files();
  uint64_t current_size() const;

  server::Server& server_;
  RunCommand run_;
  Spawn spawn_;
  Runtime& runtime_;
  std::unique_ptr<WaitQueue> wakeup_;
  Manifest manifest_;          // what is on disk
  AofFile current_incr_;       // the writer's file (listed in manifest_ unless enabling)
  std::unique_ptr<AofWriter> writer_;
  std::unique_ptr<AofRewrite> rewrite_;
  bool running_ = false;       // the writer is on
  bool stopping_ = false;
  bool rewrite_scheduled_ = false;
  bool rewrite_cancelled_ = false;
  bool rewrite_fiber_live_ = false;
  uint64_t base_size_ = 0;     // AOF size after the last rewrite or load (auto-rewrite base)
  uint64_t written_at_base_ = 0;  // writer_->written_bytes() then
  uint64_t rewrites_ = 0;
  bool last_rewrite_ok_ = true;
  int64_t last_rewrite_seconds_ = -1;
  std::optional<Instant> rewrite_started_;
  uint64_t loaded_keys_ = 0;
};

}  // namespace ringcache::persistence
