// S3-FIFO: the three queues and the moves between them (see s3fifo.h).

#include "core/store/policies/s3fifo.h"

#include <algorithm>

#include "core/constants.h"

namespace ringcache::store::policies {

S3FifoPolicy::S3FifoPolicy(uint64_t capacity) : PolicyCore(capacity) { set_capacity(capacity); }

void S3FifoPolicy::set_capacity(uint64_t capacity) {
  PolicyCore::set_capacity(capacity);
  small_capacity_ =
      static_cast<uint64_t>(static_cast<double>(capacity) * constants::s3fifo_small_ratio);
  main_capacity_ = capacity - small_capacity_;
  ghost_capacity_ =
      static_cast<uint64_t>(static_cast<double>(capacity) * constants::s3fifo_ghost_ratio);
}

void S3FifoPolicy::reserve(size_t handles) {
  links_.reserve(handles);
  if (handles > meta_.size()) meta_.resize(handles);
}

void S3FifoPolicy::push(ListEnds& queue, Handle h) {
  meta_[h].queue = &queue == &small_ ? small_queue : main_queue;
  links_.push_head(queue, h, meta_[h].size);
}

void S3FifoPolicy::access(Handle h, const KeyInfo&) {
  meta_[h].freq = static_cast<uint8_t>(std::min(meta_[h].freq + 1, 3));
}

void S3FifoPolicy::miss(const KeyInfo& key) { hit_on_ghost_ = ghost_.remove(key.fingerprint); }

bool S3FifoPolicy::insert(Handle h, const KeyInfo& key) {
  const bool from_ghost = hit_on_ghost_;
  hit_on_ghost_ = false;
  meta_[h] = Meta{key.fingerprint, key.size, 0, 0};
  if (from_ghost) {
    push(main_, h);
    return true;
  }
  // A key as large as the small queue would flush it whole: not cached.
  if (key.size >= small_capacity_) return false;
  push(small_, h);
  return true;
}

void S3FifoPolicy::remove(Handle h) { links_.unlink(queue_of(h), h, meta_[h].size); }

Handle S3FifoPolicy::evict_small() {
  while (!small_.empty()) {
    const Handle tail = small_.tail;
    links_.unlink(small_, tail, meta_[tail].size);
    if (meta_[tail].freq >= constants::s3fifo_move_to_main_threshold) {
      meta_[tail].freq = 0;
      push(main_, tail);
      continue;
    }
    ghost_.remember(meta_[tail].fp, meta_[tail].size, ghost_capacity_);
    return tail;
  }
  return no_handle;
}

Handle S3FifoPolicy::evict_main() {
  while (!main_.empty()) {
    const Handle tail = main_.tail;
    Meta& m = meta_[tail];
    if (m.freq == 0) {
      links_.unlink(main_, tail, m.size);
      return tail;
    }
    m.freq = static_cast<uint8_t>(m.freq - 1);
    links_.move_to_head(main_, tail, m.size);
  }
  return no_handle;
}

Handle S3FifoPolicy::evict() {
  while (!small_.empty() || !main_.empty()) {
    if (main_.bytes > main_capacity_ || small_.empty()) return evict_main();
    const Handle victim = evict_small();
    if (victim != no_handle) return victim;
  }
  return no_handle;
}

void S3FifoPolicy::clear() {
  small_ = ListEnds{};
  main_ = ListEnds{};
  ghost_.clear();
  hit_on_ghost_ = false;
}

}  // namespace ringcache::store::policies
