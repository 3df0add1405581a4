#pragma once
// The elements HRANDFIELD, SRANDMEMBER and SPOP (and ZRANDMEMBER) pick with a count, as Redis
// 7.0 chooses them: a negative count picks |count| times with repetition; a count at least the
// size takes everything; a count close to the size copies everything and drops random ones; a
// small count samples until it has that many distinct elements.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/constants.h"
#include "core/util/rng.h"

namespace ringcache::commands {

// `all()` returns every element; `one()` a uniformly random one; `key(e)` what makes an element
// distinct. `count` is as the user gave it (negative: with repetition); `size` > 0.
template <typename All, typename One, typename Key>
auto pick_random_elements(Rng& rng, int64_t count, size_t size, All&& all, One&& one, Key&& key)
    -> decltype(all()) {
  decltype(all()) picked;
  if (count < 0) {
    const auto times = static_cast<uint64_t>(-count);
    picked.reserve(static_cast<size_t>(std::min<uint64_t>(times, size * 16 + 16)));
    if (times * constants::random_distinct_copy_ratio < size) {
      for (uint64_t i = 0; i < times; ++i) picked.push_back(one());
      return picked;
    }
    // Many picks: one pass over everything (a compact value's one() walks it each time).
    const auto everything = all();
    for (uint64_t i = 0; i < times; ++i) picked.push_back(everything[rng.below(size)]);
    return picked;
  }
  const auto wanted = static_cast<size_t>(count);
  if (wanted >= size) return all();
  if (count * constants::random_distinct_copy_ratio > static_cast<int64_t>(size)) {
    picked = all();
    while (picked.size() > wanted) {
      std::swap(picked[rng.below(picked.size())], picked.back());
      picked.pop_back();
    }
    return picked;
  }
  // The set owns its keys: a key may view into `element`, which moves into `picked` (a short
  // string's bytes move with it, leaving the view on the next pick's bytes).
  std::unordered_set<std::string> seen;
  while (picked.size() < wanted) {
    auto element = one();
    if (seen.emplace(key(element)).second) picked.push_back(std::move(element));
  }
  return picked;
}

}  // namespace ringcache::commands
