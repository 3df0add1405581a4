// LRU clock and LFU counter arithmetic; see access_clock.h.

#include "core/store/access_clock.h"

#include "core/constants.h"

namespace ringcache::store::access_clock {

namespace {
// Floor division: the clocks must be monotonic in now_ms even for times before the epoch.
int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
}  // namespace

uint32_t lru_clock(int64_t now_ms) {
  return static_cast<uint32_t>(floor_div(now_ms, lru_clock_resolution_ms)) & lru_clock_max;
}

int64_t lru_idle_ms(uint32_t lru, int64_t now_ms) {
  // Modular difference: correct across one wrap of the 24-bit clock (about 194 days).
  const uint32_t ticks = (lru_clock(now_ms) - lru) & lru_clock_max;
  return static_cast<int64_t>(ticks) * lru_clock_resolution_ms;
}

uint32_t lfu_minutes(int64_t now_ms) {
  return static_cast<uint32_t>(floor_div(now_ms, 60 * 1000)) & 0xffffu;
}

uint32_t lfu_initial(int64_t now_ms) {
  return (lfu_minutes(now_ms) << 8) | static_cast<uint32_t>(constants::lfu_init_val);
}

uint8_t lfu_decayed_counter(uint32_t lfu, int64_t now_ms, int decay_minutes) {
  const uint32_t last = (lfu >> 8) & 0xffffu;
  const auto counter = static_cast<uint8_t>(lfu & 0xffu);
  const uint32_t now = lfu_minutes(now_ms);
  const uint32_t elapsed = now >= last ? now - last : 65535 - last + now;
  const uint32_t periods = decay_minutes > 0 ? elapsed / static_cast<uint32_t>(decay_minutes) : 0;
  return periods > counter ? 0 : static_cast<uint8_t>(counter - periods);
}

uint8_t lfu_log_increment(uint8_t counter, int log_factor, Rng& rng) {
  if (counter == 255) return counter;
  const double base = counter > constants::lfu_init_val ? counter - constants::lfu_init_val : 0;
  const double p = 1.0 / (base * log_factor + 1);
  return rng.unit() < p ? static_cast<uint8_t>(counter + 1) : counter;
}

uint32_t lfu_on_access(uint32_t lfu, int64_t now_ms, int decay_minutes, int log_factor,
                       Rng& rng) {
  uint8_t counter = lfu_decayed_counter(lfu, now_ms, decay_minutes);
  counter = lfu_log_increment(counter, log_factor, rng);
  return (lfu_minutes(now_ms) << 8) | counter;
}

uint32_t field_for_new_key(bool lfu, int64_t now_ms) {
  return lfu ? lfu_initial(now_ms) : lru_clock(now_ms);
}

uint32_t field_after_access(bool lfu, uint32_t field, int64_t now_ms, int decay_minutes,
                            int log_factor, Rng& rng) {
  return lfu ? lfu_on_access(field, now_ms, decay_minutes, log_factor, rng) : lru_clock(now_ms);
}

uint64_t eviction_score(bool lfu, uint32_t field, int64_t now_ms, int decay_minutes) {
  if (lfu) return 255 - lfu_decayed_counter(field, now_ms, decay_minutes);
  return static_cast<uint64_t>(lru_idle_ms(field, now_ms));
}

}  // namespace ringcache::store::access_clock
