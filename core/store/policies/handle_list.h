#pragma once
// Intrusive doubly linked lists over small integer handles. A policy keeps one LinkArena (two
// 32-bit links per handle) and any number of ListEnds in it: each handle is in at most one list at a
// time, so the queues of one policy (S3-FIFO's small and main, ARC's T1 and T2, ...) share the
// links. Head is the newest end, tail the oldest; every operation is O(1).

#include <cstdint>
#include <vector>

#include "core/util/assert.h"

namespace ringcache::store::policies {

using Handle = uint32_t;
inline constexpr Handle no_handle = UINT32_MAX;

struct ListEnds {
  Handle head = no_handle;
  Handle tail = no_handle;
  uint64_t count = 0;
  // Sum of the sizes of the members, in the policy's unit (objects or bytes).
  uint64_t bytes = 0;
  bool empty() const { return head == no_handle; }
};

class LinkArena {
 public:
  void reserve(size_t handles) {
    if (handles > links_.size()) links_.resize(handles);
  }
  size_t capacity() const { return links_.size(); }

  void push_head(ListEnds& list, Handle h, uint64_t size) {
    RING_ASSERT(h < links_.size());
    links_[h] = Link{no_handle, list.head};
    if (list.head != no_handle) links_[list.head].newer = h;
    list.head = h;
    if (list.tail == no_handle) list.tail = h;
    ++list.count;
    list.bytes += size;
  }

  void unlink(ListEnds& list, Handle h, uint64_t size) {
    RING_ASSERT(list.count > 0 && list.bytes >= size);
    const Link link = links_[h];
    if (link.newer != no_handle) links_[link.newer].older = link.older;
    else list.head = link.older;
    if (link.older != no_handle) links_[link.older].newer = link.newer;
    else list.tail = link.newer;
    --list.count;
    list.bytes -= size;
  }

  // Moves a member of `list` to its head.
  void move_to_head(ListEnds& list, Handle h, uint64_t size) {
    if (list.head == h) return;
    unlink(list, h, size);
    push_head(list, h, size);
  }

  // The neighbour toward the head (newer) or the tail (older), or no_handle at the ends.
  Handle newer(Handle h) const { return links_[h].newer; }
  Handle older(Handle h) const { return links_[h].older; }

 private:
  struct Link {
    Handle newer;
    Handle older;
  };
  std::vector<Link> links_;
};

}  // namespace ringcache::store::policies
