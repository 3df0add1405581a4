#pragma once
// The full encoding ("hashtable" in OBJECT ENCODING) of hashes (field -> value) and sets (member,
// no value): an open-addressing table of pointers, each to one compact allocation holding the
// field and its value with two varint lengths in front. Per element that is one 8-byte slot
// (at a load factor of 3/8..3/4) plus one small allocation, where a chained table of separate
// key and value strings would take a node, two string headers and three allocations.
//
// Linear probing with backward-shift deletion (no tombstones): an element lives in the run of
// occupied slots that starts at its home slot (hash & mask). A slot keeps the top 16 bits of
// its element's hash in the pointer's unused top bits, so a probe reads the element (a cache
// miss each) only when those bits match: a lookup in a long run touches the slot array alone.
// scan() visits home slots in reverse-binary cursor order, as Redis' dictScan, so an element
// present for a whole scan is returned at least once even when the table grows or shrinks between
// calls.
//
// Growing or shrinking rehashes every element at once: a value's table is per key, and the
// thresholds bound how often that happens (amortised O(1) per write).

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "core/util/rng.h"

namespace ringcache::store {

class FieldTable {
 public:
  struct Item {
    std::string_view field;
    std::string_view value;
  };

  explicit FieldTable(uint64_t seed);
  ~FieldTable();
  FieldTable(const FieldTable&) = delete;
  FieldTable& operator=(const FieldTable&) = delete;

  size_t size() const { return size_; }
  // Slots, element allocations and this object, as malloc rounds them.
  size_t allocated_bytes() const;

  // The element with this field, or nullptr.
  const char* find(std::string_view field) const;
  bool contains(std::string_view field) const { return find(field) != nullptr; }
  // Adds `field` with `value`, or replaces the value of an existing field; true when added.
  bool set(std::string_view field, std::string_view value);
  // Removes `field`; true when it was there.
  bool erase(std::string_view field);

  // The field and value of an element returned by find/random/iteration.
  static Item item(const char* element);

  // Every element in slot order; `visit` must not change the table.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (size_t i = 0; i < capacity_; ++i) {
      if (slots_[i] != 0) visit(item(element_of(slots_[i])));
    }
  }
  // One step of a scan: visits the elements whose home slot is `cursor` (masked) and returns the
  // next cursor, 0 when the scan is complete.
  template <typename Visit>
  uint64_t scan(uint64_t cursor, Visit&& visit) const {
    if (size_ == 0) return 0;
    const uint64_t home = cursor & mask();
    for (size_t i = home; slots_[i] != 0; i = (i + 1) & mask()) {
      if (home_slot(element_of(slots_[i])) == home) visit(item(element_of(slots_[i])));
    }
    return next_cursor(cursor);
  }
  // A uniformly chosen element; the table must not be empty.
  Item random(Rng& rng) const;

 private:
  // A slot: 0 when empty, else the element's address with the hash tag in bits 48..63.
  using Slot = uint64_t;
  static constexpr Slot tag_mask = ~Slot{0} << 48;
  static const char* element_of(Slot slot) {
    return reinterpret_cast<const char*>(slot & ~tag_mask);
  }
  static char* element_of_mut(Slot slot) { return reinterpret_cast<char*>(slot & ~tag_mask); }
  static Slot make_slot(char* element, uint64_t hash);

  uint64_t mask() const { return capacity_ - 1; }
  uint64_t hash(std::string_view field) const;
  uint64_t home_slot(const char* element) const { return hash(item(element).field) & mask(); }
  uint64_t next_cursor(uint64_t cursor) const;
  // The slot holding `field`, or the empty slot where it would go; `hash` is hash(field).
  size_t probe(std::string_view field, uint64_t hash) const;
  // Re-places every element in a table of `capacity` slots (a power of two).
  void resize(size_t capacity);
  void erase_slot(size_t slot);
  static char* make_element(std::string_view field, std::string_view value);
  static size_t element_bytes(const char* element);

  Slot* slots_ = nullptr;
  size_t capacity_ = 0;
  size_t size_ = 0;
  size_t element_bytes_ = 0;  // malloc chunks of every element
  uint64_t seed_;
};

}  // namespace ringcache::store
