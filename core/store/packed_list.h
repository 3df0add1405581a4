#pragma once
// A compact sequence of byte strings in one allocation: the small encoding ("listpack" in OBJECT
// ENCODING) of lists, hashes (field, value, field, value, ...) and sorted sets (member, score,
// ...). Each element costs its bytes plus two small length words, one before it (to walk
// forward) and one after it (to walk backward), so both ends and neighbours are O(1) away and
// everything else is a linear walk: fine for the few hundred elements a small value holds.
//
// Elements are addressed by Pos, the byte offset of their start; end() is one past the last.
// A Pos is invalidated by any insertion or erasure before it.
//
// A list may also borrow bytes it does not own (borrow(), see ByteBuffer): the room a collection
// keeps inside its Entry (compact_storage.h).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/store/byte_buffer.h"

namespace ringcache::store {

class PackedList {
 public:
  using Pos = uint32_t;

  PackedList() = default;
  PackedList(const PackedList& other) = default;  // the copy owns its bytes
  PackedList& operator=(const PackedList& other) = default;
  PackedList(PackedList&& other) noexcept;
  PackedList& operator=(PackedList&& other) noexcept;
  // A list over `capacity` bytes at `data` that it does not own, holding `used` bytes of `count`
  // elements already.
  static PackedList borrow(char* data, size_t used, size_t count, size_t capacity);
  // Whether the elements are still in borrowed bytes (see borrow()).
  bool borrowed() const { return bytes_.borrowed(); }
  // The elements' bytes (used_bytes() of them).
  const char* data() const { return bytes_.data(); }

  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  // Bytes of the elements and their length words.
  size_t used_bytes() const { return bytes_.used(); }
  // Bytes this list takes from the allocator for its buffer (not counting the object itself);
  // 0 while it borrows.
  size_t allocated_bytes() const { return bytes_.allocated_bytes(); }

  Pos begin() const { return 0; }
  Pos end() const { return static_cast<Pos>(bytes_.used()); }
  // The last element's position; end() when empty.
  Pos last() const;
  std::string_view at(Pos pos) const;
  Pos next(Pos pos) const;
  // The element before `pos` (which may be end()); `pos` must not be begin().
  Pos prev(Pos pos) const;
  // The position of element `index` (0-based from the front; negative counts from the back:
  // -1 is the last), or end() when out of range.
  Pos seek(int64_t index) const;

  // Inserts `value` before `pos` (end(): append); returns the new element's position.
  Pos insert(Pos pos, std::string_view value);
  void push_back(std::string_view value) { insert(end(), value); }
  void push_front(std::string_view value) { insert(begin(), value); }
  // Removes the element at `pos`; returns the position of the element that followed it.
  Pos erase(Pos pos);
  // Removes `count` consecutive elements starting at `pos`; returns what followed them.
  Pos erase(Pos pos, size_t count);
  // Replaces the element at `pos`; returns its (unchanged) position.
  Pos replace(Pos pos, std::string_view value);
  // The first element equal to `value` at or after `from`, looking only at every `stride`-th
  // element (2 for the fields of a field/value list); end() when absent.
  Pos find(std::string_view value, Pos from = 0, size_t stride = 1) const;
  void clear() {
    bytes_.clear();
    count_ = 0;
  }
  // Gives back the room kept for growth: the buffer becomes the smallest chunk that holds the
  // elements. For values written in batches (HSET of a whole object), so they do not keep the
  // up-to-half slack that growing one element at a time leaves.
  void shrink_to_fit() { bytes_.shrink_to_fit(); }

 private:
  const char* data_at(Pos pos) const { return bytes_.data() + pos; }
  // Whether `value` points into this list's bytes.
  bool views_own_bytes(std::string_view value) const;

  ByteBuffer bytes_;
  uint32_t count_ = 0;
};

}  // namespace ringcache::store
