// FieldTable: element layout is [varint field length][varint value length][field][value], one
// allocation sized exactly (malloc rounds it; allocated_bytes() counts the rounded chunk).

#include "core/store/field_table.h"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <new>

#include "core/constants.h"
#include "core/store/alloc_size.h"
#include "core/store/hash_table.h"
#include "core/store/varint.h"
#include "core/util/assert.h"

namespace ringcache::store {
namespace {

uint64_t read_varint(const char*& in) {
  size_t consumed;
  const uint64_t value = varint::read(in, &consumed);
  in += consumed;
  return value;
}

}  // namespace

FieldTable::FieldTable(uint64_t seed) : seed_(seed) { resize(constants::field_table_slots_min); }

FieldTable::~FieldTable() {
  for (size_t i = 0; i < capacity_; ++i) std::free(element_of_mut(slots_[i]));
  std::free(slots_);
}

size_t FieldTable::allocated_bytes() const {
  return malloc_chunk_bytes(sizeof(FieldTable)) + malloc_chunk_bytes(capacity_ * sizeof(Slot)) +
         element_bytes_;
}

FieldTable::Item FieldTable::item(const char* element) {
  const char* in = element;
  const uint64_t field_len = read_varint(in);
  const uint64_t value_len = read_varint(in);
  return {{in, field_len}, {in + field_len, value_len}};
}

char* FieldTable::make_element(std::string_view field, std::string_view value) {
  const size_t bytes =
      varint::bytes(field.size()) + varint::bytes(value.size()) + field.size() + value.size();
  auto* element = static_cast<char*>(std::malloc(bytes));
  if (element == nullptr) throw std::bad_alloc();
  char* out = element + varint::write(element, field.size());
  out += varint::write(out, value.size());
  if (!field.empty()) std::memcpy(out, field.data(), field.size());
  if (!value.empty()) std::memcpy(out + field.size(), value.data(), value.size());
  return element;
}

size_t FieldTable::element_bytes(const char* element) {
  const Item it = item(element);
  return malloc_chunk_bytes(static_cast<size_t>(it.value.data() + it.value.size() - element));
}

uint64_t FieldTable::hash(std::string_view field) const { return hash_bytes(field, seed_); }

FieldTable::Slot FieldTable::make_slot(char* element, uint64_t hash) {
  const auto address = reinterpret_cast<Slot>(element);
  RING_ASSERT_MSG((address & tag_mask) == 0, "element addresses fit in 48 bits");
  return address | (hash & tag_mask);
}

uint64_t FieldTable::next_cursor(uint64_t cursor) const {
  return detail::next_cursor(cursor, mask());
}

size_t FieldTable::probe(std::string_view field, uint64_t hash) const {
  const Slot tag = hash & tag_mask;
  size_t i = hash & mask();
  for (; slots_[i] != 0; i = (i + 1) & mask()) {
    if ((slots_[i] & tag_mask) == tag && item(element_of(slots_[i])).field == field) break;
  }
  return i;
}

const char* FieldTable::find(std::string_view field) const {
  return element_of(slots_[probe(field, hash(field))]);
}

bool FieldTable::set(std::string_view field, std::string_view value) {
  const uint64_t h = hash(field);
  size_t slot = probe(field, h);
  if (slots_[slot] != 0) {
    char* old = element_of_mut(slots_[slot]);
    if (item(old).value == value) return false;
    char* replacement = make_element(field, value);  // before freeing: `value` may view `old`
    element_bytes_ = element_bytes_ - element_bytes(old) + element_bytes(replacement);
    std::free(old);
    slots_[slot] = make_slot(replacement, h);
    return false;
  }
  if ((size_ + 1) * 4 > capacity_ * 3) {
    resize(capacity_ * 2);
    slot = probe(field, h);
  }
  char* element = make_element(field, value);
  slots_[slot] = make_slot(element, h);
  element_bytes_ += element_bytes(element);
  ++size_;
  return true;
}

bool FieldTable::erase(std::string_view field) {
  const size_t slot = probe(field, hash(field));
  if (slots_[slot] == 0) return false;
  erase_slot(slot);
  // Shrink when sparse, as Redis does below 10% use; never below the minimum.
  if (capacity_ > constants::field_table_slots_min && size_ * 8 < capacity_) {
    resize(std::max<size_t>(constants::field_table_slots_min, std::bit_ceil(size_ * 2 + 1)));
  }
  return true;
}

// Backward-shift deletion: later elements of the run move into the hole unless their home slot
// lies (cyclically) after the hole, so every element stays reachable from its home slot.
void FieldTable::erase_slot(size_t hole) {
  char* element = element_of_mut(slots_[hole]);
  element_bytes_ -= element_bytes(element);
  std::free(element);
  slots_[hole] = 0;
  --size_;
  for (size_t i = (hole + 1) & mask(); slots_[i] != 0; i = (i + 1) & mask()) {
    const size_t home = home_slot(element_of(slots_[i]));
    const bool stays = hole < i ? (home > hole && home <= i) : (home > hole || home <= i);
    if (stays) continue;
    slots_[hole] = slots_[i];
    slots_[i] = 0;
    hole = i;
  }
}

void FieldTable::resize(size_t capacity) {
  RING_ASSERT(std::has_single_bit(capacity) && capacity * 3 >= size_ * 4);
  Slot* old = slots_;
  const size_t old_capacity = capacity_;
  slots_ = static_cast<Slot*>(std::calloc(capacity, sizeof(Slot)));
  if (slots_ == nullptr) throw std::bad_alloc();
  capacity_ = capacity;
  for (size_t i = 0; i < old_capacity; ++i) {
    if (old[i] == 0) continue;
    size_t slot = home_slot(element_of(old[i]));
    while (slots_[slot] != 0) slot = (slot + 1) & mask();
    slots_[slot] = old[i];
  }
  std::free(old);
}

FieldTable::Item FieldTable::random(Rng& rng) const {
  RING_ASSERT(size_ > 0);
  // At least 1/8 of the slots are used (erase shrinks below that), so this ends quickly.
  while (true) {
    const Slot slot = slots_[rng.below(capacity_)];
    if (slot != 0) return item(element_of(slot));
  }
}

}  // namespace ringcache::store
