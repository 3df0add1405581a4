#pragma once
// maxmemory-policy names and settings, and the interface every eviction policy implements so more
// can be added (S3-FIFO, SIEVE, W-TinyLFU come with the eviction-lab issue).

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/constants.h"

namespace ringcache::store {

enum class MaxmemoryPolicy {
  noeviction,
  allkeys_lru,
  allkeys_lfu,
  allkeys_random,
  volatile_lru,
  volatile_lfu,
  volatile_random,
  volatile_ttl,
};

// "allkeys-lru" -> allkeys_lru; nullopt for unknown names.
std::optional<MaxmemoryPolicy> parse_maxmemory_policy(std::string_view name);
const char* maxmemory_policy_name(MaxmemoryPolicy policy);

struct EvictionConfig {
  uint64_t maxmemory_bytes = 0;  // 0: no limit
  MaxmemoryPolicy policy = MaxmemoryPolicy::noeviction;
  int samples = constants::maxmemory_samples_default;
  int lfu_log_factor = constants::lfu_log_factor_default;
  int lfu_decay_time_minutes = constants::lfu_decay_time_default;
};

// Implementation-defined from here on: the EvictionPolicy interface (see eviction_policy.cpp).

}  // namespace ringcache::store
