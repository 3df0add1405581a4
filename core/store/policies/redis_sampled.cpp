// Redis' sampled LRU/LFU over handles: sample, merge into the pool, evict its best candidate.

#include "core/store/policies/redis_sampled.h"

#include <algorithm>

#include "core/store/access_clock.h"

namespace ringcache::store::policies {

RedisSampledPolicy::RedisSampledPolicy(uint64_t capacity, bool lfu, const SampledParams& params,
                                       uint64_t seed)
    : PolicyCore(capacity), lfu_(lfu), params_(params), rng_(seed) {
  params_.requests_per_second = std::max<uint64_t>(1, params_.requests_per_second);
  params_.samples = std::max(1, params_.samples);
}

int64_t RedisSampledPolicy::now_ms() const {
  return static_cast<int64_t>(requests_ * 1000 / params_.requests_per_second);
}

void RedisSampledPolicy::reserve(size_t handles) {
  residents_.reserve(handles);
  if (handles > fields_.size()) fields_.resize(handles, 0);
}

void RedisSampledPolicy::access(Handle h, const KeyInfo&) {
  ++requests_;
  fields_[h] = access_clock::field_after_access(lfu_, fields_[h], now_ms(),
                                                params_.lfu_decay_minutes,
                                                params_.lfu_log_factor, rng_);
}

bool RedisSampledPolicy::insert(Handle h, const KeyInfo&) {
  fields_[h] = access_clock::field_for_new_key(lfu_, now_ms());
  residents_.add(h);
  return true;
}

Handle RedisSampledPolicy::evict() {
  if (residents_.empty()) return no_handle;
  while (true) {
    for (int i = 0; i < params_.samples; ++i) {
      const Handle h = residents_.random(rng_);
      pool_.offer(access_clock::eviction_score(lfu_, fields_[h], now_ms(),
                                               params_.lfu_decay_minutes),
                  h);
    }
    // A candidate may have left since it was pooled (evicted, or removed by the user).
    while (const std::optional<Handle> best = pool_.take_best()) {
      if (!residents_.contains(*best)) continue;
      residents_.remove(*best);
      return *best;
    }
  }
}

void RedisSampledPolicy::clear() {
  residents_.clear();
  pool_.clear();
}

}  // namespace ringcache::store::policies
