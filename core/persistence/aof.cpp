#include "core/persistence/aof.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "core/constants.h"
#include "core/persistence/aof_loader.h"
#include "core/util/assert.h"

namespace ringcache::persistence {

KeyspaceWalk keyspace_walk(server::Server& server) {
  KeyspaceWalk walk{server.keyspace(), server.runtime(), [&server](KeyspaceWalk::BeforeWrite hook) {
                      server.set_before_write(std::move(hook));
                    }};
  if (server.scripting() != nullptr) walk.preamble = server.scripting()->snapshot_commands();
  return walk;
}

namespace {

using std::chrono::milliseconds;

uint64_t total_size(Disk& disk, const std::string& dir, const Manifest& manifest) {
  uint64_t total = 0;
  for (const std::string& name : manifest.file_names()) {
    if (auto size = disk.file_size(dir + "/" + name)) total += size.value();
  }
  return total;
}

}  // namespace

Aof::Aof(server::Server& server, RunCommand run, Spawn spawn)
    : server_(server),
      run_(run),
      spawn_(std::move(spawn)),
      runtime_(server.runtime()),
      wakeup_(runtime_.make_wait_queue()) {
  server_.set_persistence(this);
}

Aof::~Aof() {
  if (writer_) server_.remove_propagation_sink(writer_.get());
  rewrite_.reset();
  server_.set_persistence(nullptr);
}

void Aof::prepare() {
  if (config().enabled) server_.set_loading(true);
}

void Aof::shutdown() {
  stopping_ = true;
  wakeup_->notify_all();
}

void Aof::run() {
  if (config().enabled) {
    if (Status status = boot(); !status.is_ok()) {
      runtime_.log(LogLevel::warning,
                   "Fatal error loading the append only file: " + status.message());
      server_.request_fatal_shutdown();
      return;
    }
  }
  const auto stopping = [this] { return stopping_ || server_.shutdown_requested(); };
  while (!stopping()) {
    wakeup_->wait_until(runtime_.now() + milliseconds(constants::aof_control_period_ms));
    if (stopping()) break;
    // The keyspace has one snapshot at a time, which a replica's full sync may hold: the
    // rewrites and switches below start only with its lease (held until the rewrite is gone).
    std::optional<Lease> lease;
    if (!rewrite_fiber_live_) {
      lease = server_.snapshot_gate().try_acquire();
      if (!lease) continue;
    }
    if (config().enabled && !running_) {
      if (rewrite_fiber_live_) continue;  // a snapshot taken while off finishes first
      if (Status status = enable_at_runtime(std::move(*lease)); !status.is_ok()) {
        runtime_.log(LogLevel::warning, "Turning the AOF on failed: " + status.message());
      }
    } else if (!config().enabled && running_) {
      disable();
    } else if (running_ && !rewrite_fiber_live_ && !writer_->switch_pending() &&
               (rewrite_scheduled_ || rewrite_due())) {
      // (A failed rewrite may leave its file switch pending while the disk keeps failing.)
      rewrite_scheduled_ = false;
      if (Status status = start_rewrite(true, std::move(*lease)); !status.is_ok()) {
        runtime_.log(LogLevel::warning, "Can't rewrite the append only file: " + status.message());
      }
    } else if (!running_ && !rewrite_fiber_live_ && rewrite_scheduled_) {
      rewrite_scheduled_ = false;
      if (Status status = start_snapshot(std::move(*lease)); !status.is_ok()) {
        ++rewrites_;
        last_rewrite_ok_ = false;
        runtime_.log(LogLevel::warning, "Can't rewrite the append only file: " + status.message());
      }
    }
  }
  if (running_) {
    disable();
  } else {
    cancel_rewrite();
  }
}

// BGREWRITEAOF while appendonly is no: as Redis 7, the dataset is written as a base file listed
// alone in the manifest, so a later start with appendonly yes loads it.
Status Aof::start_snapshot(Lease lease) {
  if (Status status = read_manifest_from_disk(UnreadableManifest::fail); !status.is_ok()) {
    return status;
  }
  return start_rewrite(false, std::move(lease));
}

// Makes the AOF directory if needed and reads its manifest into manifest_ (empty when there is
// none yet, or when it cannot be read and `unreadable` says to start afresh).
Status Aof::read_manifest_from_disk(UnreadableManifest unreadable) {
  Disk& disk = runtime_.disk();
  if (Status made = disk.make_dir(config().dirname); !made.is_ok()) return made;
  auto manifest = read_manifest(disk, config().dirname, config().filename);
  const bool fatal = unreadable == UnreadableManifest::fail && manifest.code() != Errc::not_found;
  if (!manifest && fatal) return manifest.status();
  manifest_ = manifest ? manifest.value() : Manifest{};
  return Status::ok();
}

Status Aof::boot() {
  if (Status status = read_manifest_from_disk(UnreadableManifest::fail); !status.is_ok()) {
    return status;
  }
  Disk& disk = runtime_.disk();
  uint64_t last_bytes = 0;
  if (!manifest_.file_names().empty()) {
    runtime_.log(LogLevel::notice, "Reading the append only file");
    auto report = load_aof(server_, run_, config().dirname, manifest_, config().load_truncated);
    if (!report) return report.status();
    loaded_keys_ = report.value().keys;
    last_bytes = report.value().last_file_bytes;
    runtime_.log(LogLevel::notice,
                 fmt::format("DB loaded from append only file: {:.3f} seconds, {} keys, {} "
                             "commands",
                             std::chrono::duration<double>(report.value().took).count(),
                             report.value().keys, report.value().commands));
  }
  OpenedFile file;
  if (manifest_.incrs.empty()) {
    auto created = create_incr(true);
    if (!created) return created.status();
    file = std::move(created.value());
  } else {
    current_incr_ = manifest_.incrs.back();
    auto opened = disk.open_append(path(current_incr_.name), false);
    if (!opened) return opened.status();
    file = {std::move(opened.value()), path(current_incr_.name), last_bytes};
  }
  remove_unlisted_files();
  base_size_ = total_size(disk, config().dirname, manifest_);
  server_.set_loading(false);
  start_writer(std::move(file));
  return Status::ok();
}

Result<OpenedFile> Aof::create_incr(bool persist_manifest) {
  Disk& disk = runtime_.disk();
  const int64_t seq = std::max(manifest_.next_incr_seq(), current_incr_.seq + 1);
  AofFile incr{incr_file_name(config().filename, seq), seq};
  auto opened = disk.open_append(path(incr.name), true);
  if (!opened) return opened.status();
  if (persist_manifest) {
    Manifest next = manifest_;
    next.incrs.push_back(incr);
    if (Status status = write_manifest(disk, config().dirname, config().filename, next);
        !status.is_ok()) {
      return status;
    }
    manifest_ = std::move(next);
  }
  current_incr_ = incr;
  return OpenedFile{std::move(opened.value()), path(incr.name), 0};
}

void Aof::start_writer(OpenedFile file) {
  writer_ = std::make_unique<AofWriter>(runtime_, config(), std::move(file));
  written_at_base_ = 0;
  server_.add_propagation_sink(writer_.get());
  running_ = true;
  AofWriter* writer = writer_.get();
  spawn_("aof-writer", [writer] { writer->run(); });
}

Status Aof::enable_at_runtime(Lease lease) {
  // As Redis: a rewrite writes the current dataset as the new base; until it is done the files
  // on disk (if any) are still the old ones. The dataset is in memory, so a manifest that cannot
  // be read is replaced by the rewrite's rather than refusing to turn the AOF on.
  if (Status status = read_manifest_from_disk(UnreadableManifest::start_afresh);
      !status.is_ok()) {
    return status;
  }
  auto created = create_incr(false);
  if (!created) return created.status();
  start_writer(std::move(created.value()));
  return start_rewrite(false, std::move(lease));
}

void Aof::cancel_rewrite() {
  rewrite_cancelled_ = true;
  while (rewrite_fiber_live_) runtime_.sleep_for(milliseconds(constants::aof_retry_backoff_ms));
  rewrite_cancelled_ = false;
}

void Aof::disable() {
  cancel_rewrite();
  server_.remove_propagation_sink(writer_.get());
  writer_->stop();
  while (!writer_->stopped()) runtime_.sleep_for(milliseconds(constants::aof_retry_backoff_ms));
  writer_.reset();
  running_ = false;
}

uint64_t Aof::current_size() const {
  return writer_ ? base_size_ + writer_->written_bytes() - written_at_base_ : base_size_;
}

bool Aof::rewrite_due() const {
  const server::AofConfig& c = config();
  if (c.rewrite_percentage <= 0) return false;
  const uint64_t size = current_size();
  if (size < static_cast<uint64_t>(c.rewrite_min_size)) return false;
  const uint64_t base = std::max<uint64_t>(base_size_, 1);
  return (size - std::min(size, base)) * 100 / base >= static_cast<uint64_t>(c.rewrite_percentage);
}

Result<std::string> Aof::request_rewrite() {
  if (rewrite_fiber_live_ || (writer_ && writer_->switch_pending())) {
    return Status(Errc::invalid_argument,
                  "ERR Background append only file rewriting already in progress");
  }
  rewrite_scheduled_ = true;
  wakeup_->notify_all();
  return std::string("Background append only file rewriting started");
}

Status Aof::start_rewrite(bool switch_incr, Lease lease) {
  RING_ASSERT(!rewrite_fiber_live_ && (writer_ != nullptr || !switch_incr));
  const std::string temp = path(fmt::format("temp-rewriteaof-{}.aof", config().filename));
  auto out = runtime_.disk().open_append(temp, true);
  if (!out) return out.status();
  // One step, no suspension: the switch point of the log and the snapshot's start coincide.
  if (switch_incr) writer_->switch_file([this] { return create_incr(true); });
  rewrite_ = std::make_unique<AofRewrite>(keyspace_walk(server_), std::move(lease),
                                          std::move(out.value()));
  rewrite_started_ = runtime_.now();
  rewrite_fiber_live_ = true;
  spawn_("aof-rewrite", [this] {
    struct Done {
      bool& live;
      ~Done() { live = false; }
    } done{rewrite_fiber_live_};
    run_rewrite();
  });
  return Status::ok();
}

void Aof::run_rewrite() {
  const std::string temp = path(fmt::format("temp-rewriteaof-{}.aof", config().filename));
  Status status = rewrite_->run();
  const uint64_t keys = rewrite_->keys_written();
  rewrite_.reset();
  // The base may only be listed once the log it is followed by is listed.
  while (status.is_ok() && writer_ && writer_->switch_pending() && !rewrite_cancelled_) {
    runtime_.sleep_for(milliseconds(constants::aof_retry_backoff_ms / 10));
  }
  if (rewrite_cancelled_) status = Status(Errc::invalid_argument, "cancelled");
  if (status.is_ok()) status = install_base(temp);
  last_rewrite_ok_ = status.is_ok();
  last_rewrite_seconds_ =
      std::chrono::duration_cast<std::chrono::seconds>(runtime_.now() - *rewrite_started_).count();
  rewrite_started_.reset();
  ++rewrites_;
  if (!status.is_ok()) {
    (void)runtime_.disk().remove(temp);
    runtime_.log(LogLevel::warning, "Background AOF rewrite failed: " + status.message());
    return;
  }
  runtime_.log(LogLevel::notice,
               fmt::format("Background AOF rewrite finished successfully ({} keys)", keys));
}

Status Aof::install_base(const std::string& temp) {
  Disk& disk = runtime_.disk();
  Manifest next;
  next.base = AofFile{base_file_name(config().filename, manifest_.next_base_seq()),
                      manifest_.next_base_seq()};
  if (writer_) next.incrs.push_back(current_incr_);  // without one the base stands alone
  if (Status status = disk.rename(temp, path(next.base->name)); !status.is_ok()) return status;
  // The base's name must be durable before a manifest names it.
  if (Status status = disk.sync_dir(config().dirname); !status.is_ok()) return status;
  if (Status status = write_manifest(disk, config().dirname, config().filename, next);
      !status.is_ok()) {
    return status;
  }
  const Manifest old = std::move(manifest_);
  manifest_ = std::move(next);
  const std::vector<std::string> keep = manifest_.file_names();
  for (const std::string& name : old.file_names()) {
    if (std::find(keep.begin(), keep.end(), name) == keep.end()) (void)disk.remove(path(name));
  }
  base_size_ = total_size(disk, config().dirname, manifest_);
  written_at_base_ = writer_ ? writer_->written_bytes() : 0;
  return Status::ok();
}

void Aof::remove_unlisted_files() {
  // Leftovers of a crash: a rewrite's temp file, files of a chain a newer manifest replaced.
  Disk& disk = runtime_.disk();
  auto names = disk.list(config().dirname);
  if (!names) return;
  const std::vector<std::string> keep = manifest_.file_names();
  const std::string manifest = manifest_file_name(config().filename);
  for (const std::string& name : names.value()) {
    const bool ours = name.rfind(config().filename + ".", 0) == 0 || name.rfind("temp-", 0) == 0;
    if (!ours || name == manifest || std::find(keep.begin(), keep.end(), name) != keep.end()) {
      continue;
    }
    runtime_.log(LogLevel::notice, "Removing unlisted AOF file " + name);
    (void)disk.remove(path(name));
  }
}

std::vector<std::pair<std::string, std::string>> Aof::info_fields() const {
  const auto n = [](uint64_t v) { return std::to_string(v); };
  const int64_t current_seconds =
      rewrite_started_
          ? std::chrono::duration_cast<std::chrono::seconds>(runtime_.now() - *rewrite_started_)
                .count()
          : -1;
  std::vector<std::pair<std::string, std::string>> fields = {
      {"aof_enabled", running_ ? "1" : "0"},
      {"aof_rewrite_in_progress", rewrite_fiber_live_ ? "1" : "0"},
      {"aof_rewrite_scheduled", rewrite_scheduled_ ? "1" : "0"},
      {"aof_last_rewrite_time_sec", std::to_string(last_rewrite_seconds_)},
      {"aof_current_rewrite_time_sec", std::to_string(current_seconds)},
      {"aof_last_bgrewrite_status", last_rewrite_ok_ ? "ok" : "err"},
      {"aof_rewrites", n(rewrites_)},
      {"aof_last_write_status", !writer_ || writer_->last_write_ok() ? "ok" : "err"},
      {"aof_loaded_keys", n(loaded_keys_)},
  };
  if (writer_) {
    fields.emplace_back("aof_current_size", n(current_size()));
    fields.emplace_back("aof_base_size", n(base_size_));
    fields.emplace_back("aof_buffer_length", n(writer_->buffered_bytes()));
    fields.emplace_back("aof_delayed_fsync", n(writer_->stats().delayed_fsync));
  }
  return fields;
}

}  // namespace ringcache::persistence
