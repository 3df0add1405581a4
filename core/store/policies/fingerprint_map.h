#pragma once
// An open-addressing hash map from 64-bit fingerprints to handles (linear probing, deletion by
// backward shift, so no tombstones). Used where a policy must recognise a key it no longer holds
// (ghost queues) and by adapters that map their own keys to handles. Grows at 50% load; O(1)
// expected per operation.

#include <cstdint>
#include <vector>

#include "core/store/policies/handle_list.h"

namespace ringcache::store::policies {

class FingerprintMap {
 public:
  FingerprintMap() { slots_.resize(16); }

  size_t size() const { return size_; }

  Handle find(uint64_t fp) const {
    for (size_t i = home(fp);; i = (i + 1) & mask()) {
      const Slot& s = slots_[i];
      if (s.value == no_handle) return no_handle;
      if (s.key == fp) return s.value;
    }
  }

  // Inserts or overwrites.
  void set(uint64_t fp, Handle value) {
    RING_ASSERT(value != no_handle);
    if ((size_ + 1) * 2 > slots_.size()) grow();
    for (size_t i = home(fp);; i = (i + 1) & mask()) {
      Slot& s = slots_[i];
      if (s.value == no_handle) {
        s = Slot{fp, value};
        ++size_;
        return;
      }
      if (s.key == fp) {
        s.value = value;
        return;
      }
    }
  }

  // Removes `fp`; returns whether it was present.
  bool erase(uint64_t fp) {
    size_t i = home(fp);
    while (true) {
      if (slots_[i].value == no_handle) return false;
      if (slots_[i].key == fp) break;
      i = (i + 1) & mask();
    }
    // Backward shift: pull later members of the probe run into the hole when their home allows.
    size_t hole = i;
    for (size_t j = (i + 1) & mask(); slots_[j].value != no_handle; j = (j + 1) & mask()) {
      const size_t want = home(slots_[j].key);
      const bool movable = ((j - want) & mask()) >= ((j - hole) & mask());
      if (movable) {
        slots_[hole] = slots_[j];
        hole = j;
      }
    }
    slots_[hole].value = no_handle;
    --size_;
    return true;
  }

  void clear() {
    slots_.assign(16, Slot{});
    size_ = 0;
  }

 private:
  struct Slot {
    uint64_t key = 0;
    Handle value = no_handle;
  };

  size_t mask() const { return slots_.size() - 1; }
  size_t home(uint64_t fp) const {
    return static_cast<size_t>((fp * 0x9e3779b97f4a7c15ULL) >> 32) & mask();
  }
  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    size_ = 0;
    for (const Slot& s : old) {
      if (s.value != no_handle) set(s.key, s.value);
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace ringcache::store::policies
