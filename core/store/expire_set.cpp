// Dense, chunked side array of expiry records; see expire_set.h.

#include "core/store/expire_set.h"

#include "core/store/alloc_size.h"
#include "core/util/assert.h"

namespace ringcache::store {

ExpireSet::~ExpireSet() { clear(); }

void ExpireSet::set(Entry* entry, int64_t expire_at_ms) {
  RING_ASSERT(expire_at_ms != no_expiry);
  if (entry->expire_ != nullptr) {
    entry->expire_->expire_at_ms = expire_at_ms;
    return;
  }
  if (size_ == chunks_.size() * chunk_records) chunks_.push_back(std::make_unique<Chunk>());
  ExpireRecord& record = at(size_);
  record = {entry, expire_at_ms};
  entry->expire_ = &record;
  ++size_;
}

void ExpireSet::remove(Entry* entry) {
  ExpireRecord* record = entry->expire_;
  if (record == nullptr) return;
  RING_ASSERT(size_ > 0 && record->entry == entry);
  ExpireRecord& last = at(size_ - 1);
  if (record != &last) {
    *record = last;
    record->entry->expire_ = record;
  }
  entry->expire_ = nullptr;
  --size_;
  // Keep one spare chunk beyond the last used one so a key flapping at a chunk boundary does
  // not allocate and free a chunk on every change.
  const size_t chunks_needed = (size_ + chunk_records - 1) / chunk_records;
  while (chunks_.size() > chunks_needed + 1) chunks_.pop_back();
  if (size_ == 0) {
    chunks_.clear();
    chunks_.shrink_to_fit();
  }
}

void ExpireSet::transfer(Entry* from, Entry* to) {
  RING_ASSERT(to->expire_ == nullptr);
  ExpireRecord* record = from->expire_;
  if (record == nullptr) return;
  record->entry = to;
  to->expire_ = record;
  from->expire_ = nullptr;
}

void ExpireSet::clear() {
  for (size_t i = 0; i < size_; ++i) at(i).entry->expire_ = nullptr;
  chunks_.clear();
  chunks_.shrink_to_fit();
  size_ = 0;
}

size_t ExpireSet::allocated_bytes() const {
  size_t bytes = chunks_.size() * malloc_chunk_bytes(sizeof(Chunk));
  if (chunks_.capacity() > 0) {
    bytes += malloc_chunk_bytes(chunks_.capacity() * sizeof(std::unique_ptr<Chunk>));
  }
  return bytes;
}

}  // namespace ringcache::store
