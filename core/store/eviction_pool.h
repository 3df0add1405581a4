#pragma once
// Redis' eviction pool: the best eviction candidates seen so far by the sampled policies, kept
// across picks and sorted by score (higher: evicted sooner). Sampling a few keys per pick and
// merging them here is what makes sampled LRU/LFU approximate the exact ones well.
//
// One implementation for both users: the node pools key names (a candidate deleted meanwhile is
// skipped when its name no longer finds an entry), the trace replayer pools object handles.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "core/constants.h"

namespace ringcache::store {

template <typename Key>
class EvictionPool {
 public:
  EvictionPool() { pool_.reserve(constants::eviction_pool_size + 1); }

  // Offers a sampled key. A key already pooled is re-scored; when the pool is full the worst
  // candidate (possibly the one just offered) drops out.
  template <typename KeyView>
  void offer(uint64_t score, const KeyView& key) {
    auto same = std::find_if(pool_.begin(), pool_.end(),
                             [&](const Candidate& c) { return c.key == key; });
    if (same != pool_.end()) pool_.erase(same);
    auto at = std::find_if(pool_.begin(), pool_.end(),
                           [&](const Candidate& c) { return c.score > score; });
    pool_.insert(at, Candidate{score, Key(key)});
    if (pool_.size() > static_cast<size_t>(constants::eviction_pool_size)) {
      pool_.erase(pool_.begin());
    }
  }

  // Removes and returns the best candidate; nullopt when the pool is empty.
  std::optional<Key> take_best() {
    if (pool_.empty()) return std::nullopt;
    Key key = std::move(pool_.back().key);
    pool_.pop_back();
    return key;
  }

  void clear() { pool_.clear(); }
  size_t size() const { return pool_.size(); }

  // The pooled keys from worst to best candidate (for tests).
  std::vector<Key> keys() const {
    std::vector<Key> out;
    for (const Candidate& c : pool_) out.push_back(c.key);
    return out;
  }

 private:
  struct Candidate {
    uint64_t score;
    Key key;
  };
  std::vector<Candidate> pool_;  // ascending score; the back is the best candidate
};

}  // namespace ringcache::store
