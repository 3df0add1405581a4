#pragma once
// Random eviction over a dense array of the resident handles (swap-remove keeps it dense), with
// its own seeded generator. 4 bytes per key for the array and 4 for each key's position in it.

#include <vector>

#include "core/store/policies/policy_core.h"
#include "core/util/rng.h"

namespace ringcache::store::policies {

class RandomPolicy final : public PolicyCore {
 public:
  RandomPolicy(uint64_t capacity, uint64_t seed) : PolicyCore(capacity), rng_(seed) {}
  PolicyKind kind() const override { return PolicyKind::random; }
  void reserve(size_t handles) override {
    if (handles > position_.size()) position_.resize(handles, no_handle);
  }
  void access(Handle, const KeyInfo&) override {}
  bool insert(Handle h, const KeyInfo&) override {
    position_[h] = static_cast<Handle>(residents_.size());
    residents_.push_back(h);
    return true;
  }
  void remove(Handle h) override {
    const Handle at = position_[h];
    RING_ASSERT(at < residents_.size() && residents_[at] == h);
    residents_[at] = residents_.back();
    position_[residents_[at]] = at;
    residents_.pop_back();
    position_[h] = no_handle;
  }
  Handle evict() override {
    if (residents_.empty()) return no_handle;
    const Handle victim = residents_[rng_.below(residents_.size())];
    remove(victim);
    return victim;
  }
  void clear() override {
    for (Handle h : residents_) position_[h] = no_handle;
    residents_.clear();
  }

 private:
  Rng rng_;
  std::vector<Handle> residents_;
  std::vector<Handle> position_;
};

}  // namespace ringcache::store::policies
