#include "core/persistence/aof_rewrite.h"

#include <string>
#include <vector>

#include "core/constants.h"
#include "core/persistence/aof_record.h"
#include "core/persistence/key_commands.h"

namespace ringcache::persistence {

AofRewrite::AofRewrite(KeyspaceWalk walk, server::SnapshotGate::Lease lease,
                       std::unique_ptr<WritableFile> out)
    : lease_(std::move(lease)), walk_(std::move(walk)), out_(std::move(out)) {
  walk_.keyspace.begin_snapshot();
  walk_.set_before_write([this](std::string_view key) {
    if (const store::Entry* entry = walk_.keyspace.peek(key)) take(*entry);
  });
}

AofRewrite::~AofRewrite() {
  walk_.set_before_write(nullptr);
  if (!finished_) walk_.keyspace.abandon_snapshot();
  if (out_) (void)out_->close();
}

void AofRewrite::take(const store::Entry& entry) {
  if (walk_.keyspace.take_for_snapshot(entry)) serialise(entry);
}

void AofRewrite::emit(std::span<const std::string_view> argv) {
  append_resp_command(payload_, argv);
  if (payload_.size() >= constants::aof_rewrite_record_bytes) cut_record();
}

void AofRewrite::cut_record() {
  if (payload_.empty()) return;
  append_record(framed_, payload_);
  payload_.clear();
}

void AofRewrite::serialise(const store::Entry& entry) {
  ++keys_written_;
  emit_key_commands(entry, [this](std::span<const std::string_view> argv) { emit(argv); });
}

Status AofRewrite::write_out() {
  if (framed_.empty()) return Status::ok();
  // Moved out first: before_write() may add records while append() suspends.
  const std::string batch = std::move(framed_);
  framed_.clear();
  const Status status = out_->append(batch);
  if (status.is_ok()) bytes_written_ += batch.size();
  return status;
}

Status AofRewrite::run() {
  store::Keyspace& keyspace = walk_.keyspace;
  Runtime& runtime = walk_.runtime;
  for (const std::vector<std::string>& command : walk_.preamble) {
    const std::vector<std::string_view> argv(command.begin(), command.end());
    emit(argv);
  }
  uint64_t cursor = 0;
  do {
    // As the cron does: the walk sees the node's time (and deletes what expired, as DELs).
    keyspace.set_now_ms(runtime.wall_time_ms());
    cursor = keyspace.scan(cursor, constants::aof_rewrite_keys_per_step,
                           [this](const store::Entry& entry) { take(entry); });
    if (framed_.size() >= constants::aof_rewrite_record_bytes) {
      if (Status status = write_out(); !status.is_ok()) return status;
    } else {
      runtime.yield();
    }
  } while (cursor != 0);
  cut_record();
  if (Status status = write_out(); !status.is_ok()) return status;
  if (Status status = out_->sync(); !status.is_ok()) return status;
  // Every key is taken: the hook has nothing left to do.
  walk_.set_before_write(nullptr);
  finished_ = true;
  const Status closed = out_->close();
  out_.reset();
  return closed;
}

}  // namespace ringcache::persistence
