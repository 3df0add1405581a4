#include "core/persistence/aof_loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "core/constants.h"
#include "core/persistence/aof_record.h"
#include "core/protocol/ascii.h"
#include "core/util/assert.h"

namespace ringcache::persistence {
namespace {

// Bytes of one file by offset: from the disk through a window, or from memory (the fuzzer).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const = 0;
  // [offset, offset + count) clipped to the end; `fresh` reads the disk again.
  virtual Result<std::string_view> get(uint64_t offset, size_t count, bool fresh) = 0;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  Result<std::string_view> get(uint64_t offset, size_t count, bool) override {
    if (offset >= bytes_.size()) return std::string_view();
    return bytes_.substr(offset, count);
  }

 private:
  std::string_view bytes_;
};

class DiskSource final : public ByteSource {
 public:
  DiskSource(Disk& disk, std::string path, uint64_t size)
      : disk_(disk), path_(std::move(path)), size_(size) {}
  uint64_t size() const override { return size_; }
  Result<std::string_view> get(uint64_t offset, size_t count, bool fresh) override {
    if (offset >= size_) return std::string_view();
    count = static_cast<size_t>(std::min<uint64_t>(count, size_ - offset));
    const bool cached = offset >= start_ && offset + count <= start_ + window_.size();
    if (!cached || fresh) {
      Status status = fill(offset, std::max(count, constants::aof_load_read_bytes));
      if (!status.is_ok()) return status;
    }
    return std::string_view(window_).substr(static_cast<size_t>(offset - start_), count);
  }

 private:
  Status fill(uint64_t offset, size_t wanted) {
    wanted = static_cast<size_t>(std::min<uint64_t>(wanted, size_ - offset));
    window_.resize(wanted);
    start_ = offset;
    size_t done = 0;
    while (done < wanted) {
      auto read = disk_.read(path_, offset + done, std::span<char>(window_).subspan(done));
      if (!read) return read.status();
      if (read.value() == 0) break;
      done += read.value();
    }
    window_.resize(done);
    return Status::ok();
  }
  Disk& disk_;
  std::string path_;
  uint64_t size_;
  std::string window_;
  uint64_t start_ = 0;
};

// The payload of the record at `offset` if it is whole and its checksum holds (read again up to
// `retries` times when it does not); nullopt otherwise.
Result<std::optional<std::string_view>> read_record(ByteSource& source, uint64_t offset,
                                                    int retries) {
  for (int attempt = 0; attempt <= retries; ++attempt) {
    const bool fresh = attempt > 0;
    auto head = source.get(offset, record_header_bytes, fresh);
    if (!head) return head.status();
    if (head.value().size() < record_header_bytes) return std::optional<std::string_view>();
    const RecordHeader header = decode_header(head.value());
    const uint64_t end = offset + record_header_bytes + header.payload_bytes;
    if (header.payload_bytes > constants::aof_record_bytes_max || end > source.size()) continue;
    auto payload = source.get(offset + record_header_bytes, header.payload_bytes, fresh);
    if (!payload) return payload.status();
    if (checksum_matches(header, payload.value())) return std::optional(payload.value());
  }
  return std::optional<std::string_view>();
}

// Whether a whole, checksummed record starts anywhere after `offset`: if so, the damage at
// `offset` is not a torn tail.
Result<bool> record_follows(ByteSource& source, uint64_t offset) {
  for (uint64_t at = offset + 1; at + record_header_bytes <= source.size(); ++at) {
    auto found = read_record(source, at, 0);
    if (!found) return found.status();
    if (found.value()) return true;
  }
  return false;
}

bool is_transaction_marker(std::string_view name) {
  return protocol::iequals(name, "multi") || protocol::iequals(name, "exec");
}

// Runs the commands of one record. A record is one unit of change, so MULTI/EXEC around its
// commands need no replaying. Returns an error text for a command the table does not know.
std::string apply_record(server::Server& server, RunCommand run, server::Client& client,
                         std::string_view payload, std::string& replies, uint64_t& commands) {
  std::string error;
  const bool well_formed = for_each_command(payload, [&](std::span<const std::string_view> argv) {
    if (!error.empty() || is_transaction_marker(argv[0])) return;
    if (server.commands().find(argv[0]) == nullptr) {
      error = fmt::format("Unknown command '{}'", argv[0].substr(0, 64));
      return;
    }
    server.keyspace().set_now_ms(0);  // nothing expires while loading (Redis' server.loading)
    protocol::ReplyWriter writer(replies, 2);
    run(server, client, argv, writer);
    replies.clear();
    ++commands;
  });
  if (!well_formed && error.empty()) error = "a record that is not a sequence of commands";
  return error;
}

struct FileOutcome {
  uint64_t good_bytes = 0;
  bool damaged = false;
  bool torn_tail = false;
  std::string error;
};

// Replays one file; `last` says whether a torn tail is possible here. Yields every few records
// when `runtime` is given.
Result<FileOutcome> replay(server::Server& server, RunCommand run, server::Client& client,
                           ByteSource& source, bool last, Runtime* runtime, LoadReport& report) {
  FileOutcome outcome;
  std::string replies;
  uint64_t offset = 0;
  while (offset < source.size()) {
    auto record = read_record(source, offset, runtime ? constants::aof_read_retries : 0);
    if (!record) return record.status();
    if (!record.value()) {
      auto follows = record_follows(source, offset);
      if (!follows) return follows.status();
      outcome.damaged = true;
      outcome.torn_tail = last && !follows.value();
      break;
    }
    const std::string_view payload = *record.value();
    // The payload view dies with the next read: replay before moving on.
    const std::string copy(payload);
    outcome.error = apply_record(server, run, client, copy, replies, report.commands);
    if (!outcome.error.empty()) break;
    offset += record_header_bytes + copy.size();
    if (++report.records % constants::aof_load_records_per_step == 0 && runtime) runtime->yield();
    if (const int64_t delay_us = server.config().key_load_delay_us; delay_us > 0 && runtime) {
      runtime->sleep_for(std::chrono::microseconds(delay_us));
    }
  }
  outcome.good_bytes = offset;
  return outcome;
}

server::Client loader_client() {
  server::Client client;
  client.aof_loader = true;
  client.authenticated = true;
  client.address = "aof-loader";
  return client;
}

}  // namespace

ImageOutcome replay_image(server::Server& server, RunCommand run, std::string_view image) {
  MemorySource source(image);
  server::Client client = loader_client();
  LoadReport report;
  auto outcome = replay(server, run, client, source, true, nullptr, report);
  RING_ASSERT_MSG(outcome.is_ok(), "memory reads do not fail");
  return {outcome.value().good_bytes, outcome.value().damaged, outcome.value().error};
}

Result<LoadReport> load_aof(server::Server& server, RunCommand run, const std::string& dir,
                            const Manifest& manifest, bool load_truncated) {
  Runtime& runtime = server.runtime();
  Disk& disk = runtime.disk();
  const Instant started = runtime.now();
  LoadReport report;
  server::Client client = loader_client();
  const std::vector<std::string> names = manifest.file_names();
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string path = dir + "/" + names[i];
    const bool last = i + 1 == names.size();
    auto size = disk.file_size(path);
    if (!size) return Status(size.code(), "AOF file " + path + ": " + size.status().message());
    DiskSource source(disk, path, size.value());
    auto outcome = replay(server, run, client, source, last, &runtime, report);
    if (!outcome) return Status(outcome.code(), path + ": " + outcome.status().message());
    const FileOutcome& file = outcome.value();
    if (!file.error.empty()) {
      return Status(Errc::invalid_argument,
                    fmt::format("{} reading the append only file {} at offset {}", file.error,
                                path, file.good_bytes));
    }
    if (file.damaged && !(file.torn_tail && load_truncated)) {
      return Status(Errc::invalid_argument,
                    fmt::format("Bad file format reading the append only file {}: damaged record "
                                "at offset {} of {} bytes{}",
                                path, file.good_bytes, size.value(),
                                file.torn_tail ? " (a torn tail; aof-load-truncated is no)"
                                               : " (not at the tail)"));
    }
    if (file.damaged) {
      report.bytes_dropped = size.value() - file.good_bytes;
      runtime.log(LogLevel::warning,
                  fmt::format("AOF {} ends in a torn record: truncated from {} to {} bytes "
                              "({} bytes dropped)",
                              path, size.value(), file.good_bytes, report.bytes_dropped));
      if (Status cut = disk.truncate(path, file.good_bytes); !cut.is_ok()) return cut;
    }
    if (last) report.last_file_bytes = file.good_bytes;
  }
  report.keys = server.keyspace().size();
  report.took = runtime.now() - started;
  return report;
}

}  // namespace ringcache::persistence
