#pragma once
// The replica's reader of the replication stream: RESP commands as the primary propagated them
// (docs/replication.md). It cuts the bytes into units — one command, or MULTI ... EXEC — and
// hands each whole unit to `apply`, with the stream bytes it took, however the bytes arrived.
//
// The applied offset moves only past whole units, so a link lost in the middle of a MULTI block
// resumes (PSYNC) at the block's first byte: the block is applied once, whole, never half.

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/resp_parser.h"
#include "core/server/propagation_sink.h"
#include "core/util/status.h"

namespace ringcache::replication {

class StreamApplier {
 public:
  // `unit`: the commands; `raw`: their stream bytes (what the replica's own backlog appends).
  using Apply = std::function<void(std::span<const server::ArgvView> unit, std::string_view raw)>;
  // A stream whose bytes up to `applied_offset` are already applied.
  StreamApplier(uint64_t applied_offset, Apply apply);

  // Takes the next stream bytes and applies every unit they complete. Errors: invalid_argument
  // (bytes that are not RESP commands, or a unit over the pending limit): the link is broken.
  Status feed(std::string_view bytes);
  // The offset of the last byte of the last whole unit applied (what the replica acknowledges).
  uint64_t applied_offset() const { return applied_offset_; }
  // Bytes received but not applied yet (a unit still arriving).
  size_t pending_bytes() const { return buffer_.size(); }

 private:
  Status apply_complete_units();

  uint64_t applied_offset_;
  Apply apply_;
  protocol::RespParser parser_;
  std::string buffer_;  // from the first byte of the unit being received
  size_t parsed_ = 0;   // bytes of buffer_ parsed into commands of that unit
  // The commands of an open MULTI block, copied (the parser's views go stale as bytes arrive).
  std::vector<std::vector<std::string>> block_;
  bool in_block_ = false;
};

}  // namespace ringcache::replication
