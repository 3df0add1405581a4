#pragma once
// Where a collection keeps its value, in one 8-byte word: its compact encoding (`Compact`: a
// PackedList or an IntSet) or, once converted, its full encoding (`Full`, owned). The compact
// encoding lives
//   inline:      in the bytes right after the collection object, inside the object's Entry (the
//                "tail": the room the Entry's malloc chunk has left after the object); the word
//                holds the used bytes, the element count and the room;
//   out of line: in a `Compact` object of its own (a standalone object, or one whose write
//                outgrew its room, or one too large to keep inline).
// A write that outgrows the tail moves the elements out of line (Compact::borrow, ByteBuffer),
// and the keyspace then re-packs the entry with them inline and a growth step of room
// (Keyspace::collection_written, Entry::collection_repack_room): small values cost one
// allocation, the Entry, as a string does, and one-element writes rarely re-pack it. See
// docs/memory.md.
//
// The owner (a CollectionOf class) passes its tail (CollectionOf::tail()) to every call, and calls
// place() when it has been moved into an Entry (CollectionOf::move_to).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>
#include <utility>

#include "core/constants.h"
#include "core/store/alloc_size.h"
#include "core/util/assert.h"

namespace ringcache::store {

// `Compact` offers: static borrow(data, used bytes, count, room), borrowed(), data(),
// used_bytes(), size().
template <typename Compact, typename Full>
class CompactStorage {
 public:
  CompactStorage() = default;
  CompactStorage(CompactStorage&& other) noexcept : word_(std::exchange(other.word_, empty_word)) {}
  CompactStorage(const CompactStorage&) = delete;
  CompactStorage& operator=(const CompactStorage&) = delete;
  CompactStorage& operator=(CompactStorage&&) = delete;
  ~CompactStorage() { release(); }

  bool compact() const { return !is_full(); }
  // The full encoding; nullptr while compact.
  Full* full() const { return is_full() ? reinterpret_cast<Full*>(word_ & ~tag_mask) : nullptr; }
  // Switches to the full encoding for good; the compact elements are dropped.
  void set_full(std::unique_ptr<Full> full) {
    release();
    word_ = reinterpret_cast<uintptr_t>(full.release()) | full_tag;
    RING_ASSERT(is_full());
  }

  // The compact encoding, to read (wherever it is: a view that borrows its bytes, valid until
  // the next change).
  Compact view(const char* tail) const {
    RING_ASSERT(compact());
    if (is_inline()) return borrowed(const_cast<char*>(tail));
    const Compact& list = *out_of_line();
    return Compact::borrow(const_cast<char*>(list.data()), list.used_bytes(), list.size(),
                           list.used_bytes());
  }
  // Calls `write(Compact&)` on the compact encoding, which may change it in any way; elements
  // that outgrow the tail move out of line.
  template <typename Write>
  decltype(auto) write(char* tail, Write&& write) {
    RING_ASSERT(compact());
    if (!is_inline()) return write(*out_of_line());
    Compact view = borrowed(tail);
    if constexpr (std::is_void_v<decltype(write(view))>) {
      write(view);
      settle(std::move(view));
    } else {
      decltype(auto) result = write(view);
      settle(std::move(view));
      return result;
    }
  }

  // Gives back the growth room of compact elements held out of line that stay there. Inline ones
  // have only the room of their Entry (which the keyspace manages), and ones that will move in
  // at the next placement would only be copied once more.
  void shrink_to_fit() {
    if (!is_inline() && !is_full() && wanted_inline_bytes() == 0) out_of_line()->shrink_to_fit();
  }

  // Bytes of the tail in use.
  size_t inline_bytes() const { return is_inline() ? field(used_shift) : 0; }
  // Bytes of the tail this value would use if placed anew: the inline bytes, or compact
  // elements held out of line that are few enough to move in.
  size_t wanted_inline_bytes() const {
    if (is_inline()) return inline_bytes();
    if (is_full()) return 0;
    const size_t used = out_of_line()->used_bytes();
    return used <= constants::collection_inline_bytes_max ? used : 0;
  }
  // Bytes taken from the allocator beyond the Entry by the compact encoding (the full one is its
  // owner's to count).
  size_t compact_allocated_bytes() const {
    if (is_inline() || is_full()) return 0;
    return malloc_chunk_bytes(sizeof(Compact)) + out_of_line()->allocated_bytes();
  }

  // The owner was just moved (from an object whose tail was `old_tail`) to where it has `room`
  // bytes of tail at `tail`, at least wanted_inline_bytes(): the elements move in.
  void place(const char* old_tail, char* tail, size_t room) {
    room = std::min(room, field_max);
    if (is_inline()) {
      const size_t used = inline_bytes();
      RING_ASSERT(used <= room);
      if (used > 0) std::memcpy(tail, old_tail, used);
      word_ = inline_word(used, field(count_shift), room);
      return;
    }
    const size_t wanted = wanted_inline_bytes();
    if (is_full() || wanted == 0 || wanted > room) return;
    Compact* list = out_of_line();
    std::memcpy(tail, list->data(), wanted);
    word_ = inline_word(wanted, list->size(), room);
    delete list;
  }

 private:
  // Word layout. Inline (bit 0 set): used bytes, element count and room, 21 bits each. Otherwise
  // a pointer (allocations are at least 8-aligned): to the out-of-line Compact (bit 1 clear)
  // or to the full encoding (bit 1 set).
  static constexpr uintptr_t inline_tag = 1;
  static constexpr uintptr_t full_tag = 2;
  static constexpr uintptr_t tag_mask = 3;
  static constexpr int field_bits = 21;
  static constexpr size_t field_max = (size_t{1} << field_bits) - 1;
  static constexpr int used_shift = 1;
  static constexpr int count_shift = used_shift + field_bits;
  static constexpr int room_shift = count_shift + field_bits;
  static constexpr uintptr_t empty_word = inline_tag;  // inline, nothing used, no room
  static_assert(room_shift + field_bits <= 64);
  static_assert(constants::collection_inline_bytes_max <= field_max);

  static uintptr_t inline_word(size_t used, size_t count, size_t room) {
    RING_ASSERT(used <= room && room <= field_max && count <= used);
    return inline_tag | (uintptr_t{used} << used_shift) | (uintptr_t{count} << count_shift) |
           (uintptr_t{room} << room_shift);
  }
  size_t field(int shift) const { return (word_ >> shift) & field_max; }
  bool is_inline() const { return (word_ & inline_tag) != 0; }
  bool is_full() const { return (word_ & tag_mask) == full_tag; }
  Compact* out_of_line() const { return reinterpret_cast<Compact*>(word_); }

  Compact borrowed(char* tail) const {
    return Compact::borrow(tail, field(used_shift), field(count_shift), field(room_shift));
  }
  // Records what a write through borrowed() left: still in the tail, or moved out of line.
  void settle(Compact&& view) {
    if (view.borrowed()) {
      word_ = inline_word(view.used_bytes(), view.size(), field(room_shift));
    } else if (view.data() == nullptr) {  // cleared
      word_ = inline_word(0, 0, field(room_shift));
    } else {
      word_ = reinterpret_cast<uintptr_t>(new Compact(std::move(view)));
      RING_ASSERT((word_ & tag_mask) == 0);
    }
  }
  void release() {
    if (is_full()) {
      delete full();
    } else if (!is_inline()) {
      delete out_of_line();
    }
    word_ = empty_word;
  }

  uintptr_t word_ = empty_word;
};

}  // namespace ringcache::store
