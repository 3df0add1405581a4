#pragma once
// maxmemory-policy names and settings, and the interface every eviction policy implements: Redis'
// sampled policies (sampled_eviction.h) and the policy cores of the eviction lab
// (core/store/policies/, run through core_eviction.h).

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
  // The eviction lab's policy cores (core/store/policies/), over all keys or keys with an expiry.
  allkeys_lru_exact,
  allkeys_fifo,
  allkeys_clock,
  allkeys_sieve,
  allkeys_s3fifo,
  allkeys_wtinylfu,
  allkeys_wtinylfu_adaptive,
  allkeys_arc,
  volatile_lru_exact,
  volatile_fifo,
  volatile_clock,
  volatile_sieve,
  volatile_s3fifo,
  volatile_wtinylfu,
  volatile_wtinylfu_adaptive,
  volatile_arc,
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
  // The entry gained or lost its expiry (volatile-* policies that track keys care).
  virtual void on_expire_change(Entry& entry) {}
  // The settings (maxmemory, samples, ...) are now `config`; called after construction too.
  virtual void configure(const EvictionConfig& config) {}
  // Whether the policy keeps per-key state and so must be told about every existing key when it
  // takes over (a CONFIG SET of maxmemory-policy).
  virtual bool tracks_keys() const { return false; }
  // Every key is about to go (FLUSHALL): drop all per-key state.
  virtual void clear() {}
  // Whether the policy keeps its own per-key data in the entries' 24-bit access field (the lab's
  // policies keep their slot there, so a key's state is found without a lookup). The keyspace
  // then leaves the field alone and asks access_clock() for OBJECT IDLETIME. Asked once, when
  // the keyspace installs the policy.
  virtual bool owns_access_field() const { return false; }
  // The LRU clock (access_clock.h) of the entry's last access.
  virtual uint32_t access_clock(const Entry& entry) const;

  // The keyspace's clock, for policies that stamp accesses themselves: the policy reads the time
  // there (set once, when the keyspace installs it; until then the time is 0).
  void set_clock(const int64_t* now_ms) { now_ms_ = now_ms; }

  // The next key to evict, or nullptr when the policy has none (noeviction, or volatile-* with no
  // key that has an expiry). The keyspace removes the victim and calls on_remove.
  virtual Entry* pick_victim(EvictionContext& context) = 0;

 protected:
  int64_t now_ms() const { return *now_ms_; }

 private:
  static constexpr int64_t clock_unset_ms = 0;
  const int64_t* now_ms_ = &clock_unset_ms;
};

std::unique_ptr<EvictionPolicy> make_eviction_policy(MaxmemoryPolicy policy);

}  // namespace ringcache::store
