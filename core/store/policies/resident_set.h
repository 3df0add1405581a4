#pragma once
// The resident handles in a dense array (swap-remove keeps it dense) with each handle's position,
// so a uniformly random resident is O(1): what random eviction picks and Redis' sampled policies
// sample. 4 bytes per key in the array and 4 for its position.

#include <vector>

#include "core/store/policies/handle_list.h"
#include "core/util/rng.h"

namespace ringcache::store::policies {

class ResidentSet {
 public:
  void reserve(size_t handles) {
    if (handles > position_.size()) position_.resize(handles, no_handle);
  }
  bool contains(Handle h) const { return h < position_.size() && position_[h] != no_handle; }
  bool empty() const { return residents_.empty(); }
  size_t size() const { return residents_.size(); }

  void add(Handle h) {
    RING_ASSERT(!contains(h));
    position_[h] = static_cast<Handle>(residents_.size());
    residents_.push_back(h);
  }
  void remove(Handle h) {
    const Handle at = position_[h];
    RING_ASSERT(at < residents_.size() && residents_[at] == h);
    residents_[at] = residents_.back();
    position_[residents_[at]] = at;
    residents_.pop_back();
    position_[h] = no_handle;
  }
  // A uniformly random resident; the set must not be empty.
  Handle random(Rng& rng) const { return residents_[rng.below(residents_.size())]; }
  void clear() {
    for (Handle h : residents_) position_[h] = no_handle;
    residents_.clear();
  }

 private:
  std::vector<Handle> residents_;
  std::vector<Handle> position_;
};

}  // namespace ringcache::store::policies
