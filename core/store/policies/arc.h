#pragma once
// ARC (Megiddo and Modha, FAST'03): resident lists T1 (seen once recently) and T2 (seen at least
// twice), ghost lists B1 and B2 of keys evicted from each, and a target size p for T1 that grows
// on a B1 hit and shrinks on a B2 hit. Sizes are in the caller's unit, so it works by bytes too.
// The order of steps follows libCacheSim's ARC (REPLACE on a ghost hit, then the usual trimming
// of B1 when T1 + B1 reach the capacity, of B2 when all four reach twice the capacity).
//
// State per key: 8 bytes of links and 16 of fingerprint, size and list; ghosts cost 48 bytes each
// (up to the capacity of them).

#include <vector>

#include "core/store/policies/ghost_queue.h"
#include "core/store/policies/policy_core.h"

namespace ringcache::store::policies {

class ArcPolicy final : public PolicyCore {
 public:
  using PolicyCore::PolicyCore;
  PolicyKind kind() const override { return PolicyKind::arc; }
  void reserve(size_t handles) override;
  void access(Handle h, const KeyInfo& key) override;
  void miss(const KeyInfo& key) override;
  bool insert(Handle h, const KeyInfo& key) override;
  void remove(Handle h) override;
  Handle evict() override;
  void clear() override;

  // For tests.
  uint64_t target_t1() const { return p_; }
  bool in_t2(Handle h) const { return meta_[h].list == 2; }

 private:
  struct Meta {
    uint64_t fp;
    uint32_t size;
    uint8_t list;  // 1: T1, 2: T2
  };
  ListEnds& list_of(Handle h) { return meta_[h].list == 1 ? t1_ : t2_; }
  // The paper's REPLACE: the LRU key of T1 (if T1 is over its target) or of T2 goes to its ghost.
  Handle replace();
  Handle evict_tail(ListEnds& list);

  LinkArena links_;
  std::vector<Meta> meta_;
  ListEnds t1_;
  ListEnds t2_;
  GhostQueue b1_;
  GhostQueue b2_;
  uint64_t p_ = 0;
  uint64_t incoming_size_ = 0;
  bool ghost_hit_ = false;    // the key being inserted was in B1 or B2
  bool ghost_hit_b2_ = false; // ... in B2
  bool replace_due_ = false;  // a ghost hit owes one REPLACE
};

}  // namespace ringcache::store::policies
