#pragma once
// The "intset" encoding of a set whose members are all integers (set_value.h): distinct int64
// values in ascending order, each stored in the narrowest width that holds every member (2, 4
// or 8 bytes, as Redis' intset; the width only grows). One buffer: a width byte, then the
// values; five small members take 11 bytes (a 32-byte chunk) where int64s took 40 (48).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ringcache::store {

class IntSet {
 public:
  size_t size() const { return bytes_.empty() ? 0 : (bytes_.size() - 1) / width(); }
  bool contains(int64_t value) const;
  // Adds `value`; false when it was there already.
  bool insert(int64_t value);
  // Removes `value`; false when it was not there.
  bool erase(int64_t value);
  // The member at rank `index` < size() (ascending).
  int64_t at(size_t index) const;
  // Bytes taken from the allocator for the buffer.
  size_t allocated_bytes() const;
  // Gives back the buffer's growth room (after a batch of inserts).
  void shrink_to_fit() { bytes_.shrink_to_fit(); }
  // Empties the set and frees the buffer.
  void clear() { std::vector<uint8_t>().swap(bytes_); }

  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (size_t i = 0, n = size(); i < n; ++i) visit(at(i));
  }

 private:
  size_t width() const { return bytes_.empty() ? sizeof(int16_t) : bytes_[0]; }
  // Rank of the first member >= value.
  size_t lower_bound(int64_t value) const;
  void store(size_t index, int64_t value);
  // Re-encodes every member in `wider` bytes.
  void widen(size_t wider);

  std::vector<uint8_t> bytes_;  // [width][members...], or empty when there are none
};

}  // namespace ringcache::store
