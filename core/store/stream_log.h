#pragma once
// The entries of a stream in ID order: a sequence of StreamBlocks (stream_block.h), each found by
// its first ID, as Redis keeps listpack nodes in a radix tree keyed by master ID. New entries go
// into the last block until it is full; deletions flag entries and drop blocks left with no live
// entry; trimming drops whole blocks from the front, then (unless approximate) flags entries of
// the first remaining block, exactly as Redis' streamTrim does.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/constants.h"
#include "core/store/stream_block.h"
#include "core/store/stream_id.h"

namespace ringcache::store {

// How XADD and XTRIM trim (Redis' streamAddTrimArgs).
struct StreamTrim {
  enum class Strategy { none, maxlen, minid } strategy = Strategy::none;
  uint64_t maxlen = 0;
  StreamId minid;
  bool approximate = false;
  int64_t limit = 0;  // 0: none; else at most this many entries (whole blocks) removed
};

// The node size limits (stream-node-max-bytes / -entries).
struct StreamBlockLimits {
  int64_t max_bytes = constants::stream_node_max_bytes_default;
  int64_t max_entries = constants::stream_node_max_entries_default;
};

class StreamLog {
 public:
  // Live entries.
  size_t size() const { return size_; }
  size_t block_count() const { return blocks_.size(); }

  // Appends an entry whose ID is greater than every ID ever appended.
  void append(StreamId id, std::span<const std::string_view> items, StreamBlockLimits limits);
  // Flags the entry `id` deleted; false if there is no live entry with that ID.
  bool erase(StreamId id);
  bool contains(StreamId id) const;
  // Trims as Redis does; returns the entries removed.
  uint64_t trim(const StreamTrim& trim);

  // The first / last live entry's ID; nullopt when empty.
  std::optional<StreamId> first_id() const;
  std::optional<StreamId> last_id() const;

  // Calls visit(StreamId, std::span<const std::string_view> items) for every live entry with
  // start <= ID <= end, ascending (descending when `reverse`), until it returns false.
  template <typename Visit>
  void range(StreamId start, StreamId end, bool reverse, Visit&& visit) const {
    if (start > end || blocks_.empty()) return;
    std::vector<std::string_view> items;
    if (!reverse) {
      for (size_t b = block_at_or_before(start); b < blocks_.size(); ++b) {
        const StreamBlock& block = blocks_[b];
        if (block.first_id() > end) return;
        const bool go_on = block.for_each([&](const StreamBlock::Position& position) {
          if (position.id > end) return false;
          if (position.deleted || position.id < start) return true;
          block.items_at(position, items);
          return static_cast<bool>(visit(position.id, std::span<const std::string_view>(items)));
        });
        if (!go_on) return;
      }
      return;
    }
    for (size_t b = block_at_or_before(end) + 1; b-- > 0;) {
      const StreamBlock& block = blocks_[b];
      if (block.last_id() < start) return;
      const auto positions = block.positions();
      for (size_t i = positions.size(); i-- > 0;) {
        const auto& position = positions[i];
        if (position.id < start) return;
        if (position.deleted || position.id > end) continue;
        block.items_at(position, items);
        if (!visit(position.id, std::span<const std::string_view>(items))) return;
      }
    }
  }

  // Bytes taken from the allocator: the blocks and their index.
  size_t allocated_bytes() const;

 private:
  // Index of the last block whose first ID is <= id (0 when none is).
  size_t block_at_or_before(StreamId id) const;
  // Where `id` is: block index and position; nullopt if absent or deleted.
  struct Found {
    size_t block;
    StreamBlock::Position position;
  };
  std::optional<Found> find(StreamId id) const;
  void drop_block(size_t index);
  // Flags entries of the first block from the front while `stop(id)` is false.
  template <typename Stop>
  uint64_t trim_front_entries(Stop&& stop);

  std::deque<StreamBlock> blocks_;
  size_t size_ = 0;
  size_t block_bytes_ = 0;  // sum of the blocks' allocated_bytes()
};

}  // namespace ringcache::store
