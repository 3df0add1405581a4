#pragma once
// Replays a trace through one policy core at one cache size, as libCacheSim's simulator does: a
// hit calls access(); a miss calls miss(), evicts until the object fits, then insert(). Objects
// larger than the cache are counted as misses and not cached. No clock here: the caller times it.

#include <cstdint>
#include <functional>

#include "core/store/policies/policy_core.h"
#include "lab/trace.h"

namespace ringcache::lab {

struct ReplayOptions {
  uint64_t capacity = 0;     // objects when ignore_size, else bytes
  bool ignore_size = false;  // every object counts 1 toward the capacity
  uint64_t seed = 1;         // for random eviction and the Redis policies' sampling
  store::policies::SampledParams sampled;  // redis-lru, redis-lfu
  // Called every progress_every requests with the number replayed so far.
  std::function<void(uint64_t done)> progress;
  uint64_t progress_every = 1 << 20;
};

struct ReplayResult {
  uint64_t requests = 0;
  uint64_t misses = 0;
  uint64_t bytes = 0;       // requested, by the trace's sizes even when they are ignored
  uint64_t miss_bytes = 0;
  double miss_ratio() const {
    return requests == 0 ? 0 : static_cast<double>(misses) / static_cast<double>(requests);
  }
  double byte_miss_ratio() const {
    return bytes == 0 ? 0 : static_cast<double>(miss_bytes) / static_cast<double>(bytes);
  }
};

ReplayResult replay(store::policies::PolicyKind kind, const Trace& trace,
                    const ReplayOptions& options);

}  // namespace ringcache::lab
