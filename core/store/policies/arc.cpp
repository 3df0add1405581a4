// ARC: adaptation on ghost hits, REPLACE, and the trimming of the ghost lists.

#include "core/store/policies/arc.h"

#include <algorithm>

namespace ringcache::store::policies {

void ArcPolicy::reserve(size_t handles) {
  links_.reserve(handles);
  if (handles > meta_.size()) meta_.resize(handles);
}

void ArcPolicy::access(Handle h, const KeyInfo&) {
  Meta& m = meta_[h];
  if (m.list == 1) {
    links_.unlink(t1_, h, m.size);
    m.list = 2;
    links_.push_head(t2_, h, m.size);
  } else {
    links_.move_to_head(t2_, h, m.size);
  }
}

void ArcPolicy::miss(const KeyInfo& key) {
  incoming_size_ = key.size;
  ghost_hit_ = ghost_hit_b2_ = false;
  // Integer steps, as libCacheSim: delta = max(|B2| / |B1|, 1) on a B1 hit and the mirror on B2.
  if (b1_.contains(key.fingerprint)) {
    const uint64_t delta = std::max<uint64_t>(b2_.bytes() / b1_.bytes(), 1);
    p_ = std::min(p_ + delta, capacity_);
    b1_.remove(key.fingerprint);
    ghost_hit_ = replace_due_ = true;
  } else if (b2_.contains(key.fingerprint)) {
    const uint64_t delta = std::max<uint64_t>(b1_.bytes() / b2_.bytes(), 1);
    p_ = p_ > delta ? p_ - delta : 0;
    b2_.remove(key.fingerprint);
    ghost_hit_ = ghost_hit_b2_ = replace_due_ = true;
  }
}

bool ArcPolicy::insert(Handle h, const KeyInfo& key) {
  meta_[h] = Meta{key.fingerprint, key.size, static_cast<uint8_t>(ghost_hit_ ? 2 : 1)};
  links_.push_head(ghost_hit_ ? t2_ : t1_, h, key.size);
  ghost_hit_ = ghost_hit_b2_ = replace_due_ = false;
  incoming_size_ = 0;
  return true;
}

void ArcPolicy::remove(Handle h) { links_.unlink(list_of(h), h, meta_[h].size); }

Handle ArcPolicy::evict_tail(ListEnds& list) {
  const Handle victim = list.tail;
  links_.unlink(list, victim, meta_[victim].size);
  return victim;
}

Handle ArcPolicy::replace() {
  const bool from_t1 = !t1_.empty() && (t1_.bytes > p_ || (t1_.bytes == p_ && ghost_hit_b2_));
  if (from_t1 || t2_.empty()) {
    const Handle victim = evict_tail(t1_);
    b1_.push_head(meta_[victim].fp, meta_[victim].size);
    return victim;
  }
  const Handle victim = evict_tail(t2_);
  b2_.push_head(meta_[victim].fp, meta_[victim].size);
  return victim;
}

Handle ArcPolicy::evict() {
  if (t1_.empty() && t2_.empty()) return no_handle;
  if (replace_due_) {
    replace_due_ = false;
    return replace();
  }
  if (t1_.bytes + b1_.bytes() + incoming_size_ > capacity_) {
    // T1 + B1 would pass the capacity: drop B1's oldest ghost, or if T1 alone fills the cache,
    // evict T1's LRU key outright.
    if (t1_.bytes < capacity_ && !b1_.empty()) {
      b1_.pop_tail();
      return replace();
    }
    if (!t1_.empty()) return evict_tail(t1_);
    return replace();
  }
  if (t1_.bytes + b1_.bytes() + t2_.bytes + b2_.bytes() >= 2 * capacity_ && !b2_.empty()) {
    b2_.pop_tail();
  }
  return replace();
}

void ArcPolicy::clear() {
  t1_ = ListEnds{};
  t2_ = ListEnds{};
  b1_.clear();
  b2_.clear();
  p_ = 0;
  incoming_size_ = 0;
  ghost_hit_ = ghost_hit_b2_ = replace_due_ = false;
}

}  // namespace ringcache::store::policies
