#pragma once
// The AOF writer: a PropagationSink that frames every propagated unit as a record (aof_record.h),
// buffers it, and has one fiber append the buffer to the current incremental file and fsync it as
// appendfsync says:
//   always    replies wait in before_reply() until the records they follow are synced (group
//             commit: one fsync covers every record appended while the previous one ran);
//   everysec  the fiber syncs once a second; when syncs fall more than aof_fsync_lag_max_ms
//             behind, replies wait for the next one, so the loss window stays bounded (Redis
//             postpones its writes for 2 s, then blocks);
//   no        the OS decides.
// A failed append is undone (the file cut back to its last whole record) and retried; while
// appends or fsyncs fail, write commands are refused with MISCONF, as Redis does.
//
// The file can be switched (the AOF rewrite starts a new incremental file): records propagated
// before switch_file() go to the old file, which is synced before the new one is opened.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/server/propagation_sink.h"
#include "core/server/config/aof_config.h"
#include "core/runtime.h"

namespace ringcache::persistence {

struct OpenedFile {
  std::unique_ptr<WritableFile> file;
  std::string path;
  uint64_t bytes = 0;  // good bytes already in it (appends go after them)
};

struct WriterStats {
  uint64_t delayed_fsync = 0;     // times replies waited for a lagging everysec fsync
  uint64_t write_errors = 0;
  uint64_t fsync_errors = 0;
  int64_t last_sync_ms = 0;       // wall clock of the last good fsync
};

class AofWriter final : public server::PropagationSink {
 public:
  AofWriter(Runtime& runtime, const server::AofConfig& config, OpenedFile file);
  ~AofWriter() override;

  // The writer fiber's body: returns once stop() was called and everything propagated before it
  // was written and synced.
  void run();
  // Never suspends. Asks run() to finish.
  void stop();
  bool stopped() const { return finished_; }

  // Records propagated from now on go to the file `open_next` returns; it is called on the writer
  // fiber once every earlier record is written and synced (retried after a failure).
  using OpenNext = std::function<Result<OpenedFile>()>;
  void switch_file(OpenNext open_next);
  bool switch_pending() const { return switch_.has_value(); }

  // --- PropagationSink ---
  void propagate(const server::PropagatedUnit& unit) override;
  void before_reply() override;
  std::optional<std::string> write_refusal() const override;

  // Bytes in the current file (written, not counting the buffer).
  uint64_t file_bytes() const { return current_.bytes; }
  uint64_t buffered_bytes() const { return pending_.size(); }
  // Bytes appended to files since this writer started.
  uint64_t written_bytes() const { return written_; }
  const WriterStats& stats() const { return stats_; }
  bool last_write_ok() const { return !write_error_; }

 private:
  struct Switch {
    uint64_t at_offset;
    OpenNext open_next;
  };
  bool has_work() const;
  std::optional<Instant> next_deadline() const;
  // Appends what is buffered (up to a pending switch); false after a failed append.
  bool write_pending();
  bool sync_now();
  void perform_switch();
  bool sync_due() const;
  void fail(std::string_view what, const Status& status);

  Runtime& runtime_;
  const server::AofConfig& config_;
  OpenedFile current_;
  std::string pending_;        // framed records not yet appended
  uint64_t propagated_ = 0;    // stream offsets: bytes propagated / appended / synced
  uint64_t written_ = 0;
  uint64_t durable_ = 0;
  Instant last_sync_{};
  std::optional<Instant> unsynced_since_;  // when the oldest unsynced record was propagated
  std::optional<Switch> switch_;
  std::unique_ptr<WaitQueue> wakeup_;      // the writer fiber waits here for work
  std::unique_ptr<WaitQueue> synced_;      // before_reply waits here for fsyncs
  std::optional<std::string> write_error_; // MISCONF text while appends or fsyncs fail
  WriterStats stats_;
  bool stopping_ = false;
  bool finished_ = false;
};

}  // namespace ringcache::persistence
