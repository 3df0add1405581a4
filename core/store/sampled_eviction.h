#pragma once
// Redis' own eviction policies: approximated LRU, LFU and TTL over a few sampled keys with a
// pool of the best candidates seen so far, and random eviction.

#include <cstdint>
#include <string>
#include <vector>

#include "core/constants.h"
#include "core/store/eviction_policy.h"
#include "core/store/eviction_pool.h"

namespace ringcache::store {

// allkeys-lru, allkeys-lfu, volatile-lru, volatile-lfu, volatile-ttl.
//
// Each pick samples maxmemory-samples keys (from all keys, or from the keys with an expiry), scores
// them (idle time; 255 - decayed LFU counter; or how soon they expire, inverted) and merges them
// into a pool of eviction_pool_size candidates kept across picks, sorted by score. The victim is
// the best-scored pool candidate that still exists. The pool holds key copies, not pointers, so a
// candidate deleted meanwhile is simply skipped. The pool and the LRU/LFU scores are shared with
// the trace replayer's redis-lru and redis-lfu (policies/redis_sampled.h).
class SampledEviction final : public EvictionPolicy {
 public:
  explicit SampledEviction(MaxmemoryPolicy policy);
  MaxmemoryPolicy kind() const override { return policy_; }
  void clear() override { pool_.clear(); }
  Entry* pick_victim(EvictionContext& context) override;

  // The pool's keys from worst to best candidate (for tests).
  std::vector<std::string> pool_keys() const { return pool_.keys(); }

 private:
  uint64_t score(const Entry& entry, const EvictionContext& context) const;
  // Samples keys into the pool; returns how many keys were sampled.
  size_t populate(EvictionContext& context);

  MaxmemoryPolicy policy_;
  bool volatile_only_;
  EvictionPool<std::string> pool_;
  std::vector<Entry*> sample_;  // scratch, reused between picks
};

// allkeys-random and volatile-random.
class RandomEviction final : public EvictionPolicy {
 public:
  explicit RandomEviction(MaxmemoryPolicy policy);
  MaxmemoryPolicy kind() const override { return policy_; }
  Entry* pick_victim(EvictionContext& context) override;

 private:
  MaxmemoryPolicy policy_;
};

}  // namespace ringcache::store
