#pragma once
// The replication backlog: the last bytes of the replication stream, in a ring buffer, so a
// replica that lost its link can resume from the byte it stopped at (PSYNC's partial resync).
//
// Offsets count bytes of the stream since its history began, as Redis counts them: the stream's
// n-th byte has offset n, and `end_offset()` is the offset of the last byte written (Redis'
// master_repl_offset). The backlog holds bytes first_offset() .. end_offset(); a replica that has
// applied everything up to offset k asks for k + 1.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ringcache::replication {

class Backlog {
 public:
  // An empty backlog of `capacity` bytes (> 0) whose history ends at `end_offset`.
  explicit Backlog(size_t capacity, uint64_t end_offset = 0);

  // Appends stream bytes, dropping the oldest when full. Never fails.
  void append(std::string_view bytes);
  // Changes the capacity, keeping the newest bytes that still fit.
  void resize(size_t capacity);
  // Forgets the bytes held; the history now ends at `end_offset` (a replica that took a full sync
  // starts its own backlog where the snapshot left the stream).
  void reset(uint64_t end_offset);

  uint64_t end_offset() const { return end_offset_; }
  // The offset of the oldest byte held (end_offset() + 1 when empty, as Redis' first byte).
  uint64_t first_offset() const { return end_offset_ - histlen_ + 1; }
  size_t histlen() const { return histlen_; }
  size_t capacity() const { return buffer_.size(); }
  // Whether a stream resumed at `offset` (the first byte wanted) can be served from here: any
  // offset from first_offset() to end_offset() + 1 (nothing missed yet).
  bool covers(uint64_t offset) const {
    return offset >= first_offset() && offset <= end_offset_ + 1;
  }
  // Appends to `out` at most `max_bytes` bytes starting at `offset` (covers(offset) must hold);
  // returns how many.
  size_t copy_from(uint64_t offset, size_t max_bytes, std::string& out) const;

 private:
  std::vector<char> buffer_;
  size_t write_index_ = 0;  // where the next byte goes
  size_t histlen_ = 0;      // bytes held, at most capacity()
  uint64_t end_offset_ = 0;
};

}  // namespace ringcache::replication
