// Count-min sketch: indexes, saturating increments and halving.

#include "core/store/policies/frequency_sketch.h"

#include <algorithm>
#include <bit>

namespace ringcache::store::policies {

void FrequencySketch::resize(uint64_t items) {
  items_ = std::bit_ceil(std::max<uint64_t>(items, 16));
  const uint64_t counters = items_ * 4;
  words_.assign(counters / 16, 0);
  counter_mask_ = counters - 1;
  additions_ = 0;
}

void FrequencySketch::increment(uint64_t fp) {
  const uint64_t h1 = mix(fp);
  const uint64_t h2 = mix(h1) | 1;
  bool added = false;
  for (uint64_t i = 0; i < 4; ++i) {
    const uint64_t index = (h1 + i * h2) & counter_mask_;
    uint64_t& word = words_[index >> 4];
    const int shift = static_cast<int>((index & 15) * 4);
    if (((word >> shift) & 15) != 15) {
      word += 1ULL << shift;
      added = true;
    }
  }
  if (added && ++additions_ >= sample_size()) age();
}

uint8_t FrequencySketch::estimate(uint64_t fp) const {
  const uint64_t h1 = mix(fp);
  const uint64_t h2 = mix(h1) | 1;
  uint64_t least = 15;
  for (uint64_t i = 0; i < 4; ++i) {
    const uint64_t index = (h1 + i * h2) & counter_mask_;
    least = std::min(least, (words_[index >> 4] >> ((index & 15) * 4)) & 15);
  }
  return static_cast<uint8_t>(least);
}

void FrequencySketch::age() {
  for (uint64_t& word : words_) word = (word >> 1) & 0x7777777777777777ULL;
  additions_ /= 2;
}

}  // namespace ringcache::store::policies
