#pragma once
// The keys that have an expiry, as a dense array of ExpireRecord {entry, expire_at_ms}.
//
// Redis keeps a second dict for this; we keep a record per volatile key in fixed-size chunks
// (addresses never move when the array grows, so no stop-the-world copy) and each volatile entry
// points at its record. Removal swaps the last record into the hole and repoints its entry, so the
// array stays dense and a uniform random volatile key is one rng.below() away — what volatile-*
// eviction and the active expiry cycle need.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/constants.h"
#include "core/store/entry.h"

namespace ringcache::store {

class ExpireSet {
 public:
  ExpireSet() = default;
  ~ExpireSet();
  ExpireSet(const ExpireSet&) = delete;
  ExpireSet& operator=(const ExpireSet&) = delete;

  size_t size() const { return size_; }
  // Gives `entry` an expiry, or changes it if it has one.
  void set(Entry* entry, int64_t expire_at_ms);
  // Takes the expiry away from `entry` (no-op if it has none).
  void remove(Entry* entry);
  // Moves the expiry of `from` to `to` (an entry being replaced by a reallocated copy).
  void transfer(Entry* from, Entry* to);
  // The record at a dense index in [0, size()).
  ExpireRecord& at(size_t index) {
    return chunks_[index / chunk_records]->records[index % chunk_records];
  }
  // Drops every record without touching entries (the caller is destroying them all).
  void clear();

  // Bytes of the chunks and the chunk directory, rounded as the allocator does.
  size_t allocated_bytes() const;

 private:
  static constexpr size_t chunk_records = constants::expire_chunk_records;
  struct Chunk {
    ExpireRecord records[chunk_records];
  };

  std::vector<std::unique_ptr<Chunk>> chunks_;
  size_t size_ = 0;
};

}  // namespace ringcache::store
