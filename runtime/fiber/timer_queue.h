#pragma once
// Timers ordered by (deadline, creation sequence): equal deadlines fire in creation order, so a
// simulation replays identically. Time is a plain nanosecond count on whatever clock the owning
// event loop uses (steady clock in production, true virtual time in the simulator).
//
// A binary heap of (deadline, sequence, slot) over a slab of callbacks: adding and firing a
// timer allocate nothing once the slab and heap have grown (the simulator adds one for every
// network delivery, client timeout and sleep). Cancelling frees the callback at once and leaves
// its heap entry behind, skipped when it surfaces; the heap is rebuilt without such entries when
// they outnumber the live ones, so memory stays within twice the live timers.

#include <algorithm>
#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "core/util/assert.h"
#include "runtime/fiber/callback.h"

namespace ringcache::fiber {

class TimerQueue {
 public:
  // Names one added timer; stays valid (and cancel() a no-op) after it fired or was cancelled.
  struct Key {
    uint64_t sequence = 0;
    uint32_t slot = 0;
  };

  // `tag` is handed to fire_due's observer when the timer fires; it must outlive the timer
  // (pass a string literal).
  Key add(int64_t deadline_ns, Callback&& on_fire, std::string_view tag = {}) {
    const uint64_t sequence = ++last_sequence_;
    uint32_t slot;
    if (free_slots_.empty()) {
      slot = static_cast<uint32_t>(slots_.size());
      slots_.emplace_back();
    } else {
      slot = free_slots_.back();
      free_slots_.pop_back();
    }
    Slot& entry = slots_[slot];
    entry.callback = std::move(on_fire);
    entry.tag = tag;
    entry.sequence = sequence;
    heap_.push_back(Entry{deadline_ns, sequence, slot});
    std::push_heap(heap_.begin(), heap_.end(), Later{});
    ++live_;
    return Key{sequence, slot};
  }

  // Removes a timer that has not fired; a no-op for one that has.
  void cancel(const Key& key) {
    if (key.slot >= slots_.size() || slots_[key.slot].sequence != key.sequence) return;
    release(key.slot);
    drop_cancelled_tops();
    if (heap_.size() > compact_above && heap_.size() > 2 * live_) compact();
  }

  std::optional<int64_t> next_deadline() const {
    if (heap_.empty()) return std::nullopt;
    return heap_.front().deadline_ns;
  }

  // Fires every timer due at or before now_ns, earliest first; a callback may add timers
  // (those due are fired too). `before_each(tag)` runs before each callback. Returns the count
  // fired.
  template <typename Observer>
  size_t fire_due(int64_t now_ns, Observer&& before_each) {
    size_t fired = 0;
    while (!heap_.empty() && heap_.front().deadline_ns <= now_ns) {
      const uint32_t slot = heap_.front().slot;
      std::pop_heap(heap_.begin(), heap_.end(), Later{});
      heap_.pop_back();
      // Run in place (the slab is a deque: timers the callback adds do not move it). Marked
      // free first, so cancelling its own key is a no-op; reused only once it has returned.
      Slot& entry = slots_[slot];
      entry.sequence = 0;
      --live_;
      drop_cancelled_tops();
      before_each(entry.tag);
      entry.callback();
      entry.callback.reset();
      free_slots_.push_back(slot);
      ++fired;
    }
    return fired;
  }
  size_t fire_due(int64_t now_ns) {
    return fire_due(now_ns, [](std::string_view) {});
  }

  size_t size() const { return live_; }

 private:
  struct Entry {
    int64_t deadline_ns;
    uint64_t sequence;
    uint32_t slot;
  };
  struct Slot {
    Callback callback;
    std::string_view tag;
    uint64_t sequence = 0;  // 0: free
  };
  // The heap's order: std::*_heap keep the greatest first, so "greater" is the later timer.
  // A type, not a function pointer, so the heap algorithms inline it.
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.deadline_ns != b.deadline_ns ? a.deadline_ns > b.deadline_ns
                                            : a.sequence > b.sequence;
    }
  };
  static constexpr size_t compact_above = 64;

  bool cancelled(const Entry& entry) const { return slots_[entry.slot].sequence != entry.sequence; }
  void release(uint32_t slot) {
    RING_ASSERT(live_ > 0);
    slots_[slot].callback.reset();
    slots_[slot].sequence = 0;
    free_slots_.push_back(slot);
    --live_;
  }
  void drop_cancelled_tops() {
    while (!heap_.empty() && cancelled(heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), Later{});
      heap_.pop_back();
    }
  }
  void compact() {
    std::erase_if(heap_, [this](const Entry& entry) { return cancelled(entry); });
    std::make_heap(heap_.begin(), heap_.end(), Later{});
  }

  std::vector<Entry> heap_;  // may hold cancelled entries, never at the front
  std::deque<Slot> slots_;   // stable addresses: a callback runs where it is stored
  std::vector<uint32_t> free_slots_;
  uint64_t last_sequence_ = 0;
  size_t live_ = 0;
};

}  // namespace ringcache::fiber
