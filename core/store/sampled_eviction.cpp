// Sampled LRU/LFU/TTL eviction with a candidate pool, and random eviction.

#include "core/store/sampled_eviction.h"

#include <algorithm>

#include "core/store/access_clock.h"
#include "core/store/entry.h"
#include "core/store/expire_set.h"
#include "core/store/hash_table.h"
#include "core/util/assert.h"

namespace ringcache::store {

SampledEviction::SampledEviction(MaxmemoryPolicy policy)
    : policy_(policy), volatile_only_(policy_is_volatile(policy)) {
  RING_ASSERT(policy != MaxmemoryPolicy::noeviction && policy != MaxmemoryPolicy::allkeys_random &&
            policy != MaxmemoryPolicy::volatile_random);
}

uint64_t SampledEviction::score(const Entry& entry, const EvictionContext& context) const {
  switch (policy_) {
    case MaxmemoryPolicy::allkeys_lru:
    case MaxmemoryPolicy::volatile_lru:
    case MaxmemoryPolicy::allkeys_lfu:
    case MaxmemoryPolicy::volatile_lfu:
      return access_clock::eviction_score(policy_uses_lfu(policy_), entry.lru_field(),
                                          context.now_ms, context.config.lfu_decay_time_minutes);
    case MaxmemoryPolicy::volatile_ttl:
      // Sooner expiry, higher score. expire_at_ms is >= 0 for volatile keys in practice; the
      // cast keeps the order for any value.
      return UINT64_MAX - (static_cast<uint64_t>(entry.expire_at_ms()) ^ (1ULL << 63));
    default:
      RING_UNREACHABLE();
  }
}

size_t SampledEviction::populate(EvictionContext& context) {
  const auto samples = static_cast<size_t>(std::max(1, context.config.samples));
  sample_.clear();
  if (volatile_only_) {
    const size_t volatile_keys = context.expires.size();
    for (size_t i = 0; i < samples && volatile_keys > 0; ++i) {
      sample_.push_back(context.expires.at(context.rng.below(volatile_keys)).entry);
    }
  } else {
    context.table.sample(context.rng, samples, sample_);
  }
  for (Entry* entry : sample_) pool_.offer(score(*entry, context), entry->key());
  return sample_.size();
}

Entry* SampledEviction::pick_victim(EvictionContext& context) {
  while (true) {
    if (populate(context) == 0) return nullptr;
    while (const std::optional<std::string> key = pool_.take_best()) {
      Entry* entry = context.table.find(*key);
      if (entry == nullptr) continue;  // deleted since it was sampled
      if (volatile_only_ && !entry->has_expiry()) continue;  // made persistent since
      return entry;
    }
  }
}

RandomEviction::RandomEviction(MaxmemoryPolicy policy) : policy_(policy) {
  RING_ASSERT(policy == MaxmemoryPolicy::allkeys_random ||
            policy == MaxmemoryPolicy::volatile_random);
}

Entry* RandomEviction::pick_victim(EvictionContext& context) {
  if (policy_ == MaxmemoryPolicy::allkeys_random) return context.table.random_entry(context.rng);
  if (context.expires.size() == 0) return nullptr;
  return context.expires.at(context.rng.below(context.expires.size())).entry;
}

}  // namespace ringcache::store
