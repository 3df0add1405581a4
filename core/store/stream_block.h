#pragma once
// One block of a stream: up to stream-node-max-entries consecutive entries in one buffer, as a
// Redis stream node packs them in one listpack. The fields of the block's first entry are kept
// once ("master fields"); a later entry with the same field names stores only its values. IDs
// are delta-encoded against the previous entry of the block, so an entry costs a flag byte, two
// small varints and its values. Deleted entries stay in the block, flagged, until the whole
// block is dropped (Redis' tombstones inside a node).
//
// Layout of the buffer: varint master field count, the master fields (varint length + bytes);
// then per entry: flag byte, varint ms delta, varint seq (a delta when the ms is the previous
// entry's, else the sequence itself); then either the values of the master fields, or a varint
// field count and field, value pairs (each varint length + bytes).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/store/stream_id.h"

namespace ringcache::store {

class StreamBlock {
 public:
  // Where one entry is in the block.
  struct Position {
    StreamId id;
    uint32_t flag_at = 0;  // offset of its flag byte
    bool deleted = false;
  };

  // A block whose first entry is `id` holding `items` (field, value, field, value, ...).
  StreamBlock(StreamId id, std::span<const std::string_view> items);
  StreamBlock(const StreamBlock& other);
  StreamBlock(StreamBlock&& other) noexcept = default;
  StreamBlock& operator=(StreamBlock&& other) noexcept = default;
  StreamBlock& operator=(const StreamBlock& other) {
    if (this != &other) *this = StreamBlock(other);
    return *this;
  }
  ~StreamBlock() = default;

  StreamId first_id() const { return first_; }
  // The last entry's ID, deleted or not.
  StreamId last_id() const { return last_; }
  size_t live() const { return live_; }
  // Entries including deleted ones (what stream-node-max-entries counts).
  size_t total() const { return total_; }
  // The bytes Redis' listpack for the same node would take (stream-node-max-bytes decides new
  // blocks by it, so blocks start where Redis starts nodes).
  size_t listpack_bytes() const;
  // Whether a new entry with these items must start a new block (Redis' streamAppendItem rule):
  // the node would reach `max_bytes` (0: no limit but Redis' own) or holds `max_entries`.
  bool full_for(std::span<const std::string_view> items, int64_t max_bytes,
                int64_t max_entries) const;

  // Appends an entry; `id` is greater than last_id().
  void append(StreamId id, std::span<const std::string_view> items);
  // Flags the entry at `position` deleted (it must be live).
  void mark_deleted(const Position& position);
  // Gives back the growth room once no entry will be appended (a newer block started).
  void shrink_to_fit();

  // Calls visit(const Position&) for every entry, deleted ones included, in ID order, until it
  // returns false. Returns false when stopped.
  template <typename Visit>
  bool for_each(Visit&& visit) const {
    Reader reader(*this);
    Position position;
    while (reader.next(position)) {
      if (!visit(static_cast<const Position&>(position))) return false;
    }
    return true;
  }
  // Every entry's position, in ID order.
  std::vector<Position> positions() const;
  // The fields and values of the entry at `position`, into `out` (cleared first).
  void items_at(const Position& position, std::vector<std::string_view>& out) const;

  // Bytes taken from the allocator for the buffer.
  size_t allocated_bytes() const;

 private:
  class Reader {
   public:
    explicit Reader(const StreamBlock& block);
    bool next(Position& out);

   private:
    const StreamBlock& block_;
    size_t at_;
    StreamId previous_;
  };

  // Master field count and where the entries begin.
  size_t master_fields() const;
  void reserve(size_t extra);
  void put_varint(uint64_t value);
  void put_bytes(std::string_view bytes);
  // Offset of the first byte after the entry body starting at `at` with flag `flag`.
  size_t skip_body(size_t at, uint8_t flag) const;
  bool same_fields(std::span<const std::string_view> items) const;
  // Redis' listpack bytes of one entry (everything but the node's counters).
  size_t listpack_entry_bytes(StreamId id, std::span<const std::string_view> items,
                              bool same) const;

  std::unique_ptr<char[]> data_;
  uint32_t size_ = 0;
  uint32_t capacity_ = 0;
  uint32_t entries_at_ = 0;  // offset of the first entry
  uint32_t live_ = 0;
  uint32_t total_ = 0;
  uint32_t listpack_fixed_ = 0;  // Redis' node bytes but for the live and deleted counters
  StreamId first_;
  StreamId last_;
};

}  // namespace ringcache::store
