#pragma once
// Redis' sampled LRU and LFU (what allkeys-lru and allkeys-lfu do) for the trace replayer, built
// from the node's own parts: the access-field arithmetic of access_clock.h (the 1-second LRU
// clock; the logarithmic LFU counter with its decay) and the 16-candidate eviction pool of
// eviction_pool.h. Only the sampling differs: the node samples its hash table, this samples the
// resident keys uniformly.
//
// A replay has no clock, so time is the request count at SampledParams::requests_per_second:
// keys read within the same second look equally old to the LRU clock, and LFU counters decay per
// minute of that time, as they would in a node serving that rate.
//
// State per key: 4 bytes of access field and 8 of resident set (resident_set.h).

#include <vector>

#include "core/store/eviction_pool.h"
#include "core/store/policies/policy_core.h"
#include "core/store/policies/resident_set.h"
#include "core/util/rng.h"

namespace ringcache::store::policies {

class RedisSampledPolicy final : public PolicyCore {
 public:
  RedisSampledPolicy(uint64_t capacity, bool lfu, const SampledParams& params, uint64_t seed);
  PolicyKind kind() const override { return lfu_ ? PolicyKind::redis_lfu : PolicyKind::redis_lru; }
  void reserve(size_t handles) override;
  void access(Handle h, const KeyInfo& key) override;
  void miss(const KeyInfo& key) override { ++requests_; }
  bool insert(Handle h, const KeyInfo& key) override;
  void remove(Handle h) override { residents_.remove(h); }
  Handle evict() override;
  void clear() override;

 private:
  int64_t now_ms() const;

  bool lfu_;
  SampledParams params_;
  Rng rng_;
  uint64_t requests_ = 0;
  std::vector<uint32_t> fields_;  // per handle: the 24-bit access field, as an entry holds it
  ResidentSet residents_;
  EvictionPool<Handle> pool_;
};

}  // namespace ringcache::store::policies
