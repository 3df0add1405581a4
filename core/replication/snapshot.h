#pragma once
// The full sync's snapshot on the wire, between ringcache nodes (not Redis' RDB): after
// "+FULLRESYNC <replid> <offset>" the primary sends the records of an online AOF rewrite of its
// keyspace taken at that offset (persistence/aof_rewrite.h: docs/aof-format.md's framing, each
// record checksummed), then one record with an empty payload that ends the snapshot; the
// stream proper follows from offset + 1.
//
// SnapshotOutput lets the rewrite write into a replica's connection instead of a file;
// SnapshotReader is the replica's side: it checks each record and hands its commands on.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "core/runtime.h"
#include "core/util/status.h"

namespace ringcache::replication {

// The record that ends a snapshot.
std::string snapshot_end_record();

// A WritableFile whose appends go to a replica's stream (sync and close do nothing).
class SnapshotOutput final : public WritableFile {
 public:
  explicit SnapshotOutput(Stream& stream) : stream_(stream) {}
  Status append(std::string_view data) override;
  Status sync() override { return Status::ok(); }
  Status close() override { return Status::ok(); }
  uint64_t size() const override { return written_; }

 private:
  Stream& stream_;
  uint64_t written_ = 0;
};

class SnapshotReader {
 public:
  using Command = std::function<void(std::span<const std::string_view> argv)>;
  explicit SnapshotReader(Command command) : command_(std::move(command)) {}

  // Takes the next bytes of the link. Returns how many of them belong to the snapshot: fewer
  // than bytes.size() only once the end record is in (what follows is the stream). Errors:
  // corrupt (a checksum failed, or a record holds no commands).
  Result<size_t> feed(std::string_view bytes);
  bool done() const { return done_; }
  uint64_t commands_applied() const { return commands_; }

 private:
  Command command_;
  std::string pending_;  // a record still arriving
  bool done_ = false;
  uint64_t commands_ = 0;
};

}  // namespace ringcache::replication
