#pragma once
// A count-min sketch of 4-bit counters with periodic aging, as TinyLFU uses to estimate how often a
// key was seen recently: four counters per key (double hashing into one table of
// 4 x next_pow2(items) counters, 2 bytes per expected item); every 10 x items increments all
// counters are halved, so old popularity fades.

#include <cstdint>
#include <vector>

namespace ringcache::store::policies {

class FrequencySketch {
 public:
  FrequencySketch() { resize(16); }

  // Grows the table when `items` exceeds what it was sized for (resetting the counts, which is
  // what a grown cache would want anyway). O(1) amortised: it doubles.
  void ensure_capacity(uint64_t items) {
    if (items > items_) resize(items);
  }
  void increment(uint64_t fp);
  // The estimated count of `fp`, 0..15.
  uint8_t estimate(uint64_t fp) const;
  uint64_t sample_size() const { return items_ * 10; }
  void clear() { resize(16); }

 private:
  void resize(uint64_t items);
  void age();
  static uint64_t mix(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
  }

  std::vector<uint64_t> words_;  // 16 counters per word
  uint64_t counter_mask_ = 0;    // counters - 1
  uint64_t items_ = 0;
  uint64_t additions_ = 0;
};

}  // namespace ringcache::store::policies
