// CLOCK's and SIEVE's hands (LRU and FIFO are all in the header).

#include "core/store/policies/list_policies.h"

namespace ringcache::store::policies {

void ClockPolicy::reserve(size_t handles) {
  SingleQueuePolicy::reserve(handles);
  if (handles > referenced_.size()) referenced_.resize(handles);
}

bool ClockPolicy::insert(Handle h, const KeyInfo&) {
  referenced_[h] = 0;
  links_.push_head(queue_, h, 0);
  return true;
}

Handle ClockPolicy::evict() {
  // Ends: after one pass every bit is clear.
  while (queue_.tail != no_handle && referenced_[queue_.tail] != 0) {
    referenced_[queue_.tail] = 0;
    links_.move_to_head(queue_, queue_.tail, 0);
  }
  return evict_tail();
}

void SievePolicy::reserve(size_t handles) {
  SingleQueuePolicy::reserve(handles);
  if (handles > visited_.size()) visited_.resize(handles);
}

bool SievePolicy::insert(Handle h, const KeyInfo&) {
  visited_[h] = 0;
  links_.push_head(queue_, h, 0);
  return true;
}

void SievePolicy::remove(Handle h) {
  if (hand_ == h) hand_ = links_.newer(h);
  SingleQueuePolicy::remove(h);
}

Handle SievePolicy::evict() {
  if (queue_.empty()) return no_handle;
  Handle h = hand_ == no_handle ? queue_.tail : hand_;
  // Ends: every bit passed is cleared, so the second lap at the latest finds an unvisited key.
  while (visited_[h] != 0) {
    visited_[h] = 0;
    h = links_.newer(h);
    if (h == no_handle) h = queue_.tail;
  }
  hand_ = links_.newer(h);
  links_.unlink(queue_, h, 0);
  return h;
}

void SievePolicy::clear() {
  SingleQueuePolicy::clear();
  hand_ = no_handle;
}

}  // namespace ringcache::store::policies
