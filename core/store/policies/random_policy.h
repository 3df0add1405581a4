#pragma once
// Random eviction: a uniformly random resident (ResidentSet, 8 bytes per key), from its own seeded
// generator.

#include "core/store/policies/policy_core.h"
#include "core/store/policies/resident_set.h"
#include "core/util/rng.h"

namespace ringcache::store::policies {

class RandomPolicy final : public PolicyCore {
 public:
  RandomPolicy(uint64_t capacity, uint64_t seed) : PolicyCore(capacity), rng_(seed) {}
  PolicyKind kind() const override { return PolicyKind::random; }
  void reserve(size_t handles) override { residents_.reserve(handles); }
  void access(Handle, const KeyInfo&) override {}
  bool insert(Handle h, const KeyInfo&) override {
    residents_.add(h);
    return true;
  }
  void remove(Handle h) override { residents_.remove(h); }
  Handle evict() override {
    if (residents_.empty()) return no_handle;
    const Handle victim = residents_.random(rng_);
    residents_.remove(victim);
    return victim;
  }
  void clear() override { residents_.clear(); }

 private:
  Rng rng_;
  ResidentSet residents_;
};

}  // namespace ringcache::store::policies
