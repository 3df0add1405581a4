#include "core/persistence/aof_writer.h"

#include <fmt/format.h>

#include <chrono>

#include "core/constants.h"
#include "core/persistence/aof_record.h"
#include "core/util/assert.h"

namespace ringcache::persistence {
namespace {

using std::chrono::milliseconds;

}  // namespace

AofWriter::AofWriter(Runtime& runtime, const server::AofConfig& config, OpenedFile file)
    : runtime_(runtime),
      config_(config),
      current_(std::move(file)),
      last_sync_(runtime.now()),
      wakeup_(runtime.make_wait_queue()),
      synced_(runtime.make_wait_queue()) {
  RING_ASSERT(current_.file != nullptr);
  stats_.last_sync_ms = runtime.wall_time_ms();
}

AofWriter::~AofWriter() {
  if (current_.file) (void)current_.file->close();
}

void AofWriter::propagate(const server::PropagatedUnit& unit) {
  if (stopping_) return;
  if (durable_ == propagated_) unsynced_since_ = runtime_.now();
  const size_t before = pending_.size();
  append_record(pending_, unit.resp);
  propagated_ += pending_.size() - before;
  wakeup_->notify_one();
}

void AofWriter::before_reply() {
  const uint64_t target = propagated_;
  if (config_.fsync == server::FsyncPolicy::always) {
    while (durable_ < target && !finished_) synced_->wait();
    return;
  }
  if (config_.fsync != server::FsyncPolicy::everysec) return;
  bool delayed = false;
  while (durable_ < target && !finished_ && unsynced_since_ &&
         runtime_.now() - *unsynced_since_ > milliseconds(constants::aof_fsync_lag_max_ms)) {
    if (!delayed) ++stats_.delayed_fsync;
    delayed = true;
    synced_->wait();
  }
}

std::optional<std::string> AofWriter::write_refusal() const { return write_error_; }

void AofWriter::stop() {
  stopping_ = true;
  wakeup_->notify_all();
}

void AofWriter::switch_file(OpenNext open_next) {
  RING_ASSERT_MSG(!switch_, "one file switch at a time");
  switch_ = Switch{propagated_, std::move(open_next)};
  wakeup_->notify_one();
}

bool AofWriter::sync_due() const {
  if (durable_ >= written_) return false;
  switch (config_.fsync) {
    case server::FsyncPolicy::always: return true;
    case server::FsyncPolicy::everysec:
      return runtime_.now() - last_sync_ >= milliseconds(constants::aof_everysec_interval_ms);
    case server::FsyncPolicy::no: return false;
  }
  RING_UNREACHABLE();
}

bool AofWriter::has_work() const {
  return !pending_.empty() || (switch_ && written_ == switch_->at_offset) || sync_due() ||
         (stopping_ && durable_ < written_);
}

std::optional<Instant> AofWriter::next_deadline() const {
  if (config_.fsync != server::FsyncPolicy::everysec || durable_ >= written_) return std::nullopt;
  return last_sync_ + milliseconds(constants::aof_everysec_interval_ms);
}

void AofWriter::run() {
  for (;;) {
    if (!has_work()) {
      if (stopping_) break;
      wakeup_->wait_until(next_deadline());
      continue;
    }
    bool ok = write_pending();
    if (ok && switch_ && written_ == switch_->at_offset) {
      perform_switch();
      continue;
    }
    if (ok && (sync_due() || (stopping_ && durable_ < written_))) ok = sync_now();
    if (!ok) runtime_.sleep_for(milliseconds(constants::aof_retry_backoff_ms));
  }
  // A clean stop leaves everything on disk whatever the policy.
  if (written_ > 0) (void)current_.file->sync();
  finished_ = true;
  synced_->notify_all();
}

bool AofWriter::write_pending() {
  const uint64_t limit = switch_ ? switch_->at_offset : propagated_;
  const size_t count = static_cast<size_t>(limit - written_);
  if (count == 0) return true;
  // Appended from a copy: propagate() may add to pending_ while append() suspends.
  const std::string batch = pending_.substr(0, count);
  const Status status = current_.file->append(batch);
  if (!status.is_ok()) {
    // A short write may have left part of a record: cut the file back to whole records, so the
    // retry (or the next start) does not find damage in the middle.
    (void)runtime_.disk().truncate(current_.path, current_.bytes);
    fail("write", status);
    ++stats_.write_errors;
    return false;
  }
  pending_.erase(0, count);
  written_ += count;
  current_.bytes += count;
  if (config_.fsync == server::FsyncPolicy::no && !switch_) {
    // Nothing will sync: a write that went through clears a write error.
    write_error_.reset();
    durable_ = written_;  // as durable as this policy makes anything
    unsynced_since_.reset();
    synced_->notify_all();
  }
  return true;
}

bool AofWriter::sync_now() {
  const uint64_t target = written_;
  const Status status = current_.file->sync();
  if (!status.is_ok()) {
    fail("fsync", status);
    ++stats_.fsync_errors;
    return false;
  }
  write_error_.reset();
  durable_ = target;
  last_sync_ = runtime_.now();
  stats_.last_sync_ms = runtime_.wall_time_ms();
  if (durable_ == propagated_) {
    unsynced_since_.reset();
  } else {
    unsynced_since_ = runtime_.now();  // a close enough bound for what arrived during the sync
  }
  synced_->notify_all();
  return true;
}

void AofWriter::perform_switch() {
  // The old file must be durable before the manifest lists its successor: only the last file
  // of the chain may end torn.
  if (durable_ < written_ || config_.fsync == server::FsyncPolicy::no) {
    if (!sync_now()) return runtime_.sleep_for(milliseconds(constants::aof_retry_backoff_ms));
  }
  Result<OpenedFile> next = switch_->open_next();
  if (!next) {
    fail("open", next.status());
    return runtime_.sleep_for(milliseconds(constants::aof_retry_backoff_ms));
  }
  (void)current_.file->close();
  current_ = std::move(next.value());
  switch_.reset();
}

void AofWriter::fail(std::string_view what, const Status& status) {
  runtime_.log(LogLevel::warning,
               fmt::format("AOF {} error on {}: {}", what, current_.path, status.to_string()));
  write_error_ = fmt::format("Errors writing to the AOF file: {}", status.message());
}

}  // namespace ringcache::persistence
