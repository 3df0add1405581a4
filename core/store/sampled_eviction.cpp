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
  pool_.reserve(constants::eviction_pool_size + 1);
}

uint64_t SampledEviction::score(const Entry& entry, const EvictionContext& context) const {
  switch (policy_) {
    case MaxmemoryPolicy::allkeys_lru:
    case MaxmemoryPolicy::volatile_lru:
      return static_cast<uint64_t>(access_clock::lru_idle_ms(entry.lru_field(), context.now_ms));
    case MaxmemoryPolicy::allkeys_lfu:
    case MaxmemoryPolicy::volatile_lfu:
      return 255 - access_clock::lfu_decayed_counter(entry.lru_field(), context.now_ms,
                                                     context.config.lfu_decay_time_minutes);
    case MaxmemoryPolicy::volatile_ttl:
      // Sooner expiry, higher score. expire_at_ms is >= 0 for volatile keys in practice; the
      // cast keeps the order for any value.
      return UINT64_MAX - (static_cast<uint64_t>(entry.expire_at_ms()) ^ (1ULL << 63));
    default:
      RING_UNREACHABLE();
  }
}

void SampledEviction::offer(uint64_t score, std::string_view key) {
  auto same = std::find_if(pool_.begin(), pool_.end(),
                           [&](const Candidate& c) { return c.key == key; });
  if (same != pool_.end()) pool_.erase(same);
  auto at = std::find_if(pool_.begin(), pool_.end(),
                         [&](const Candidate& c) { return c.score > score; });
  pool_.insert(at, Candidate{score, std::string(key)});
  // Full: the worst candidate (possibly the one just offered) drops out.
  if (pool_.size() > static_cast<size_t>(constants::eviction_pool_size)) pool_.erase(pool_.begin());
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
  for (Entry* entry : sample_) offer(score(*entry, context), entry->key());
  return sample_.size();
}

Entry* SampledEviction::pick_victim(EvictionContext& context) {
  while (true) {
    if (populate(context) == 0) return nullptr;
    while (!pool_.empty()) {
      const std::string key = std::move(pool_.back().key);
      pool_.pop_back();
      Entry* entry = context.table.find(key);
      if (entry == nullptr) continue;  // deleted since it was sampled
      if (volatile_only_ && !entry->has_expiry()) continue;  // made persistent since
      return entry;
    }
  }
}

std::vector<std::string> SampledEviction::pool_keys() const {
  std::vector<std::string> keys;
  for (const Candidate& c : pool_) keys.push_back(c.key);
  return keys;
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
