#pragma once
// Belady's MIN: evict the resident key whose next access is furthest in the future (never
// accessed again counts as infinitely far). The upper bound for traces that carry next-access
// times (the libCacheSim oracleGeneral format does); the node cannot know the future, so it is
// a replayer-only policy. A max-heap with lazy deletion: O(log n) per request, 8 bytes of next
// time per key plus 16 per heap entry (the heap is rebuilt when stale entries pass half of it).

#include <vector>

#include "core/store/policies/policy_core.h"

namespace ringcache::store::policies {

class BeladyPolicy final : public PolicyCore {
 public:
  using PolicyCore::PolicyCore;
  PolicyKind kind() const override { return PolicyKind::belady; }
  void reserve(size_t handles) override {
    if (handles > next_.size()) next_.resize(handles, not_resident);
  }
  void access(Handle h, const KeyInfo& key) override { schedule(h, key); }
  bool insert(Handle h, const KeyInfo& key) override {
    ++residents_;
    schedule(h, key);
    return true;
  }
  void remove(Handle h) override {
    next_[h] = not_resident;
    --residents_;
  }
  Handle evict() override;
  void clear() override;

 private:
  struct Item {
    int64_t next;
    Handle h;
    bool operator<(const Item& other) const { return next < other.next; }
  };
  static constexpr int64_t not_resident = INT64_MIN;
  void schedule(Handle h, const KeyInfo& key);
  void compact();

  std::vector<int64_t> next_;
  std::vector<Item> heap_;
  size_t residents_ = 0;
};

}  // namespace ringcache::store::policies
