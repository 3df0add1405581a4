#pragma once
// maxmemory-policy names and settings, and the interface every eviction policy implements so more
// can be added (S3-FIFO, SIEVE, W-TinyLFU come with the eviction-lab issue).

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "core/constants.h"
#include "core/util/rng.h"

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

class Entry;
class HashTable;
class ExpireSet;

// Whether the policy reads an entry's 24-bit access field as LFU data (else as the LRU clock).
bool policy_uses_lfu(MaxmemoryPolicy policy);
// Whether the policy only ever evicts keys that have an expiry.
bool policy_is_volatile(MaxmemoryPolicy policy);

// What a policy may look at when it chooses a victim: the keyspace's table and its keys with an
// expiry, the node's random generator, the time and the settings. Lookups through `table` do not
// touch access data or expire keys.
struct EvictionContext {
  HashTable& table;
  ExpireSet& expires;
  Rng& rng;
  int64_t now_ms;
  const EvictionConfig& config;
};

// One eviction policy. The keyspace calls the hooks for every key it adds, reads or writes,
// reallocates and removes, and asks pick_victim for a key to evict while it is over maxmemory.
// Sampled policies (Redis' own) need no hooks: the keyspace keeps each entry's 24-bit access
// field. Policies with their own structures (exact LRU lists, S3-FIFO queues, SIEVE's hand,
// TinyLFU sketches) keep them up to date through the hooks; Entry pointers they hold stay valid
// until on_remove or on_move.
class EvictionPolicy {
 public:
  virtual ~EvictionPolicy() = default;
  virtual MaxmemoryPolicy kind() const = 0;

  virtual void on_insert(Entry& entry) {}
  virtual void on_access(Entry& entry) {}
  // `from` was reallocated as `to` (same key); `from` is about to be freed.
  virtual void on_move(Entry& from, Entry& to) {}
  virtual void on_remove(Entry& entry) {}
  // Every key is about to go (FLUSHALL): drop all per-key state.
  virtual void clear() {}

  // The next key to evict, or nullptr when the policy has none (noeviction, or volatile-* with no
  // key that has an expiry). The keyspace removes the victim and calls on_remove.
  virtual Entry* pick_victim(EvictionContext& context) = 0;
};

std::unique_ptr<EvictionPolicy> make_eviction_policy(MaxmemoryPolicy policy);

}  // namespace ringcache::store
