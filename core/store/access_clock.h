#pragma once
// The 24-bit access field of an entry, read the way Redis reads it:
//   LRU: a clock in seconds (LRU_CLOCK_RESOLUTION 1000 ms) wrapping at 2^24;
//   LFU: last decrement time in minutes (16 bits, wrapping) << 8 | logarithmic counter (8 bits).
// Pure functions of the time and the field, so they are easy to test.

#include <cstdint>

#include "core/util/rng.h"

namespace ringcache::store::access_clock {

inline constexpr uint32_t lru_clock_max = (1u << 24) - 1;
inline constexpr int64_t lru_clock_resolution_ms = 1000;

// The LRU clock at `now_ms`.
uint32_t lru_clock(int64_t now_ms);
// Milliseconds since the access recorded in `lru` (handles one wrap of the clock).
int64_t lru_idle_ms(uint32_t lru, int64_t now_ms);

// Minutes clock for LFU, 16 bits.
uint32_t lfu_minutes(int64_t now_ms);
// The field for a new key: now and LFU_INIT_VAL.
uint32_t lfu_initial(int64_t now_ms);
// The counter after decay: one step per `decay_minutes` elapsed since the last decrement.
uint8_t lfu_decayed_counter(uint32_t lfu, int64_t now_ms, int decay_minutes);
// The counter after one access: +1 with probability 1/((counter - LFU_INIT_VAL) * factor + 1).
uint8_t lfu_log_increment(uint8_t counter, int log_factor, Rng& rng);
// The field after one access: decay, increment, stamp now.
uint32_t lfu_on_access(uint32_t lfu, int64_t now_ms, int decay_minutes, int log_factor, Rng& rng);

// The field as Redis' sampled policies keep it (LFU data when `lfu`, else the LRU clock), shared
// by the node (Keyspace, SampledEviction) and the replayer (policies/redis_sampled.h):
// for a key created now;
uint32_t field_for_new_key(bool lfu, int64_t now_ms);
// after an access now;
uint32_t field_after_access(bool lfu, uint32_t field, int64_t now_ms, int decay_minutes,
                            int log_factor, Rng& rng);
// and how strongly the key is an eviction candidate (higher: sooner): its idle time in ms under
// LRU, 255 - its decayed counter under LFU.
uint64_t eviction_score(bool lfu, uint32_t field, int64_t now_ms, int decay_minutes);

}  // namespace ringcache::store::access_clock
