#pragma once
// A queue of keys that are no longer cached, remembered by fingerprint and size only: S3-FIFO's
// ghost FIFO and ARC's B1/B2 lists. Newest at the head; a member can be found and removed in O(1)
// (a FingerprintMap to its slot, slots linked by a LinkArena).

#include <cstdint>
#include <vector>

#include "core/store/policies/fingerprint_map.h"
#include "core/store/policies/handle_list.h"

namespace ringcache::store::policies {

class GhostQueue {
 public:
  bool contains(uint64_t fp) const { return index_.find(fp) != no_handle; }
  uint64_t bytes() const { return list_.bytes; }
  uint64_t count() const { return list_.count; }
  bool empty() const { return list_.empty(); }

  // Adds `fp` at the head (it must not be present).
  void push_head(uint64_t fp, uint64_t size);
  // Removes `fp`; returns whether it was present.
  bool remove(uint64_t fp);
  // Forgets the oldest member (the queue must not be empty).
  void pop_tail();
  // As a FIFO cache of `capacity`: a present key stays where it is; a new one pushes out the
  // oldest members until it fits (a key larger than the capacity is not kept).
  void remember(uint64_t fp, uint64_t size, uint64_t capacity);
  void clear();

 private:
  struct Slot {
    uint64_t fp;
    uint64_t size;
  };
  void release(Handle slot);

  LinkArena links_;
  ListEnds list_;
  std::vector<Slot> slots_;
  std::vector<Handle> free_;
  FingerprintMap index_;
};

}  // namespace ringcache::store::policies
