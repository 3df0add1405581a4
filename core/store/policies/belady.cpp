// Belady's MIN: the heap of next-access times.

#include "core/store/policies/belady.h"

#include <algorithm>

namespace ringcache::store::policies {

void BeladyPolicy::schedule(Handle h, const KeyInfo& key) {
  const int64_t next = key.next_access < 0 ? INT64_MAX : key.next_access;
  next_[h] = next;
  heap_.push_back(Item{next, h});
  std::push_heap(heap_.begin(), heap_.end());
  if (heap_.size() > 2 * residents_ + 64) compact();
}

void BeladyPolicy::compact() {
  std::erase_if(heap_, [&](const Item& item) { return next_[item.h] != item.next; });
  std::make_heap(heap_.begin(), heap_.end());
}

Handle BeladyPolicy::evict() {
  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end());
    const Item top = heap_.back();
    heap_.pop_back();
    if (next_[top.h] != top.next) continue;  // stale: accessed or removed since
    remove(top.h);
    return top.h;
  }
  return no_handle;
}

void BeladyPolicy::clear() {
  for (const Item& item : heap_) next_[item.h] = not_resident;
  heap_.clear();
  residents_ = 0;
}

}  // namespace ringcache::store::policies
