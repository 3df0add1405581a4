#pragma once
// S3-FIFO (Yang et al., SOSP'23), as the paper and libCacheSim's 2024 simulator run it: a small
// FIFO of 10% of the capacity, a main FIFO with a 2-bit clock, and a ghost FIFO (90% of the
// capacity) of keys that left the small queue without being read twice.
//
//   miss: a key found in the ghost goes straight to main; others go to small.
//   hit:  frequency + 1 (saturating at 3).
//   evict from small (when main is within its share): the tail, if read at least `threshold`
//         times, moves to main; otherwise it is evicted and remembered in the ghost.
//   evict from main: the tail, if read, goes back to the head with frequency - 1; else evicted.
//
// (libCacheSim's later S3FIFO.c also sends new keys to main while the cache has never evicted and
// small is full; that variant misses 0.0028 more on the CloudPhysics sample at 10%.)
//
// State per key: 8 bytes of links, 16 of fingerprint, size, frequency and queue; ghosts cost
// 48 bytes each (slot, links, map), at most 90% of the capacity of them.

#include <vector>

#include "core/store/policies/ghost_queue.h"
#include "core/store/policies/policy_core.h"

namespace ringcache::store::policies {

class S3FifoPolicy final : public PolicyCore {
 public:
  explicit S3FifoPolicy(uint64_t capacity);
  PolicyKind kind() const override { return PolicyKind::s3fifo; }
  void reserve(size_t handles) override;
  void access(Handle h, const KeyInfo& key) override;
  void miss(const KeyInfo& key) override;
  bool insert(Handle h, const KeyInfo& key) override;
  void remove(Handle h) override;
  Handle evict() override;
  void clear() override;
  void set_capacity(uint64_t capacity) override;

  // For tests: which queue a resident key is in.
  bool in_small(Handle h) const { return meta_[h].queue == small_queue; }

 private:
  static constexpr uint8_t small_queue = 1;
  static constexpr uint8_t main_queue = 2;
  struct Meta {
    uint64_t fp;
    uint32_t size;
    uint8_t freq;
    uint8_t queue;
  };

  ListEnds& queue_of(Handle h) { return meta_[h].queue == small_queue ? small_ : main_; }
  void push(ListEnds& queue, Handle h);
  // One pass over the small queue: the first key not promoted to main, or no_handle if small
  // emptied into main.
  Handle evict_small();
  Handle evict_main();

  uint64_t small_capacity_ = 0;
  uint64_t main_capacity_ = 0;
  uint64_t ghost_capacity_ = 0;
  LinkArena links_;
  std::vector<Meta> meta_;
  ListEnds small_;
  ListEnds main_;
  GhostQueue ghost_;
  bool hit_on_ghost_ = false;
};

}  // namespace ringcache::store::policies
