#pragma once
// The "intset" encoding of a set whose members are all integers (set_value.h): distinct int64
// values in ascending order, each stored in the narrowest width that holds every member (2, 4
// or 8 bytes, as Redis' intset; the width only grows). One buffer: a width byte, then the
// values; five small members take 11 bytes (a 32-byte chunk) where int64s took 40 (48). The
// buffer may borrow its bytes (borrow(), see ByteBuffer): a small set keeps them inside its
// Entry (compact_storage.h).

#include <cstddef>
#include <cstdint>

#include "core/store/byte_buffer.h"

namespace ringcache::store {

class IntSet {
 public:
  // A set over `capacity` bytes at `data` that it does not own, `used` of them in use (`count`
  // is implied by them).
  static IntSet borrow(char* data, size_t used, size_t count, size_t capacity);
  bool borrowed() const { return bytes_.borrowed(); }
  const char* data() const { return bytes_.data(); }
  size_t used_bytes() const { return bytes_.used(); }

  size_t size() const { return bytes_.used() == 0 ? 0 : (bytes_.used() - 1) / width(); }
  bool contains(int64_t value) const;
  // Adds `value`; false when it was there already.
  bool insert(int64_t value);
  // Removes `value`; false when it was not there.
  bool erase(int64_t value);
  // The member at rank `index` < size() (ascending).
  int64_t at(size_t index) const;
  // Bytes taken from the allocator for the buffer.
  size_t allocated_bytes() const { return bytes_.allocated_bytes(); }
  // Gives back the buffer's growth room (after a batch of inserts).
  void shrink_to_fit() { bytes_.shrink_to_fit(); }
  // Empties the set and frees the buffer.
  void clear() { bytes_.clear(); }

  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (size_t i = 0, n = size(); i < n; ++i) visit(at(i));
  }

 private:
  size_t width() const {
    return bytes_.used() == 0 ? sizeof(int16_t) : static_cast<uint8_t>(bytes_.data()[0]);
  }
  char* slot(size_t index) { return bytes_.data() + 1 + index * width(); }
  const char* slot(size_t index) const { return bytes_.data() + 1 + index * width(); }
  // Rank of the first member >= value.
  size_t lower_bound(int64_t value) const;
  void store(size_t index, int64_t value);
  // Re-encodes every member in `wider` bytes.
  void widen(size_t wider);

  ByteBuffer bytes_;  // [width][members...], or empty when there are none
};

}  // namespace ringcache::store
