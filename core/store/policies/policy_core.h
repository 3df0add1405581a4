#pragma once
// The cores of the eviction policies, shared by the node (through core/store/core_eviction.h) and
// the trace replayer (tools/trace): the code a researcher measures is the code the node runs.
//
// A core knows keys only as small integer handles chosen by its caller (below reserve()'s count)
// plus a KeyInfo: a 64-bit fingerprint (to recognise a key that left, in ghost queues and
// sketches), a size in the caller's unit (1 per object, or bytes) and, for Belady, the time of the
// next access. The caller drives it with one protocol, the one libCacheSim's simulators follow:
//
//   hit:   access(h, key)
//   miss:  miss(key); while (occupied + key.size > capacity) { v = evict(); forget v }
//          insert(h, key)            (false: the policy declined to cache it)
//   delete by the user: remove(h)
//
// The node runs the same calls but inserts first and evicts after (its memory is already
// spent when it learns the key's size). Every call is O(1) amortised, except Belady's O(log n).

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "core/constants.h"
#include "core/store/policies/handle_list.h"

namespace ringcache::store::policies {

enum class PolicyKind : uint8_t {
  lru,                // exact LRU: a list, moved to the head on every hit
  fifo,               // first in, first out
  clock,              // FIFO with one reference bit (second chance)
  sieve,              // SIEVE (NSDI'24): FIFO with a visited bit and a hand that stays put
  s3fifo,             // S3-FIFO (SOSP'23): small FIFO, main FIFO, ghost FIFO
  wtinylfu,           // W-TinyLFU: 1% window LRU, SLRU main, count-min admission
  wtinylfu_adaptive,  // the same with the window sized by hill climbing
  arc,                // ARC: T1/T2 with ghosts B1/B2 and the adaptive target p
  random,             // a uniformly random resident key
  belady,             // MIN: the key whose next access is furthest (needs next-access times)
  redis_lru,          // Redis' sampled LRU (allkeys-lru): maxmemory-samples keys, 16-key pool
  redis_lfu,          // Redis' sampled LFU (allkeys-lfu): logarithmic counter with decay
};

inline constexpr PolicyKind all_policy_kinds[] = {
    PolicyKind::lru,      PolicyKind::fifo,     PolicyKind::clock,
    PolicyKind::sieve,    PolicyKind::s3fifo,   PolicyKind::wtinylfu,
    PolicyKind::wtinylfu_adaptive, PolicyKind::arc, PolicyKind::random,
    PolicyKind::belady,   PolicyKind::redis_lru, PolicyKind::redis_lfu};

// "lru", "s3fifo", "wtinylfu-adaptive", ... (the replayer's names; the node prefixes them with
// allkeys-/volatile-, and calls exact LRU "lru-exact" because "allkeys-lru" is Redis' sampled one).
const char* policy_kind_name(PolicyKind kind);
std::optional<PolicyKind> parse_policy_kind(std::string_view name);
// Bytes of per-key state the core keeps (documented in docs/eviction-lab.md).
size_t policy_state_bytes_per_key(PolicyKind kind);

struct KeyInfo {
  uint64_t fingerprint = 0;
  uint32_t size = 1;
  // Logical time of the key's next access; -1: never again (libCacheSim's convention).
  int64_t next_access = -1;
};

class PolicyCore {
 public:
  explicit PolicyCore(uint64_t capacity) : capacity_(capacity) {}
  virtual ~PolicyCore() = default;
  PolicyCore(const PolicyCore&) = delete;
  PolicyCore& operator=(const PolicyCore&) = delete;

  virtual PolicyKind kind() const = 0;
  // Makes handles [0, handles) usable. Never shrinks.
  virtual void reserve(size_t handles) = 0;
  // A hit on resident `h`.
  virtual void access(Handle h, const KeyInfo& key) = 0;
  // A miss on `key`, before the evictions that make room for it (ghost and sketch bookkeeping).
  virtual void miss(const KeyInfo& key) {}
  // `h` (not resident) becomes resident; false when the policy declines to cache it.
  virtual bool insert(Handle h, const KeyInfo& key) = 0;
  // The user removed resident `h` (not an eviction).
  virtual void remove(Handle h) = 0;
  // Chooses a resident victim, forgets it and returns it; no_handle when nothing is resident.
  virtual Handle evict() = 0;
  // Forgets every key (resident or ghost).
  virtual void clear() = 0;

  // Capacity in the unit of KeyInfo::size; segment shares (S3-FIFO's 10%, the TinyLFU window)
  // follow it.
  virtual void set_capacity(uint64_t capacity) { capacity_ = capacity; }
  uint64_t capacity() const { return capacity_; }

 protected:
  uint64_t capacity_;
};

// Settings of Redis' sampled policies in the replayer (the node takes them from its config:
// maxmemory-samples, lfu-log-factor, lfu-decay-time). A replay's time is its request count at
// requests_per_second (see redis_sampled.h).
struct SampledParams {
  int samples = constants::maxmemory_samples_default;
  int lfu_log_factor = constants::lfu_log_factor_default;
  int lfu_decay_minutes = constants::lfu_decay_time_default;
  uint64_t requests_per_second = constants::replay_requests_per_second_default;
};

struct PolicyParams {
  uint64_t capacity = 0;
  uint64_t seed = 1;  // random eviction, and the sampling of the Redis policies
  SampledParams sampled;
};

std::unique_ptr<PolicyCore> make_policy_core(PolicyKind kind, const PolicyParams& params);

}  // namespace ringcache::store::policies
