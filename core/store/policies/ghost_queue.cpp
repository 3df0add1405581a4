// Ghost queue: slot allocation and the FIFO-cache behaviour of remember().

#include "core/store/policies/ghost_queue.h"

namespace ringcache::store::policies {

void GhostQueue::push_head(uint64_t fp, uint64_t size) {
  RING_ASSERT(!contains(fp));
  Handle slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = static_cast<Handle>(slots_.size());
    slots_.push_back({});
    links_.reserve(slots_.size());
  }
  slots_[slot] = Slot{fp, size};
  links_.push_head(list_, slot, size);
  index_.set(fp, slot);
}

void GhostQueue::release(Handle slot) {
  links_.unlink(list_, slot, slots_[slot].size);
  free_.push_back(slot);
}

bool GhostQueue::remove(uint64_t fp) {
  const Handle slot = index_.find(fp);
  if (slot == no_handle) return false;
  index_.erase(fp);
  release(slot);
  return true;
}

void GhostQueue::pop_tail() {
  RING_ASSERT(!empty());
  const Handle slot = list_.tail;
  index_.erase(slots_[slot].fp);
  release(slot);
}

void GhostQueue::remember(uint64_t fp, uint64_t size, uint64_t capacity) {
  if (contains(fp) || size > capacity) return;
  while (!empty() && list_.bytes + size > capacity) pop_tail();
  push_head(fp, size);
}

void GhostQueue::clear() {
  links_ = LinkArena{};
  list_ = ListEnds{};
  slots_.clear();
  free_.clear();
  index_.clear();
}

}  // namespace ringcache::store::policies
