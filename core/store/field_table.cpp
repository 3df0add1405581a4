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
  for (size_t i = 0; i < capacity_; ++i) std::free(slots_[i]);
  std::free(slots_);
}

size_t FieldTable::allocated_bytes() const {
  return malloc_chunk_bytes(sizeof(FieldTable)) + malloc_chunk_bytes(capacity_ * sizeof(char*)) +
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

uint64_t FieldTable::next_cursor(uint64_t cursor) const {
  return detail::next_cursor(cursor, mask());
}

size_t FieldTable::probe(std::string_view field) const {
  size_t i = hash(field) & mask();
  while (slots_[i] != nullptr && item(slots_[i]).field != field) i = (i + 1) & mask();
  return i;
}

const char* FieldTable::find(std::string_view field) const { return slots_[probe(field)]; }

bool FieldTable::set(std::string_view field, std::string_view value) {
  size_t slot = probe(field);
  char* old = slots_[slot];
  if (old != nullptr) {
    if (item(old).value == value) return false;
    char* replacement = make_element(field, value);  // before freeing: `value` may view `old`
    element_bytes_ = element_bytes_ - element_bytes(old) + element_bytes(replacement);
    std::free(old);
    slots_[slot] = replacement;
    return false;
  }
  if ((size_ + 1) * 4 > capacity_ * 3) {
    resize(capacity_ * 2);
    slot = probe(field);
  }
  slots_[slot] = make_element(field, value);
  element_bytes_ += element_bytes(slots_[slot]);
  ++size_;
  return true;
}

bool FieldTable::erase(std::string_view field) {
  const size_t slot = probe(field);
  if (slots_[slot] == nullptr) return false;
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
  element_bytes_ -= element_bytes(slots_[hole]);
  std::free(slots_[hole]);
  slots_[hole] = nullptr;
  --size_;
  for (size_t i = (hole + 1) & mask(); slots_[i] != nullptr; i = (i + 1) & mask()) {
    const size_t home = home_slot(slots_[i]);
    const bool stays = hole < i ? (home > hole && home <= i) : (home > hole || home <= i);
    if (stays) continue;
    slots_[hole] = slots_[i];
    slots_[i] = nullptr;
    hole = i;
  }
}

void FieldTable::resize(size_t capacity) {
  RING_ASSERT(std::has_single_bit(capacity) && capacity * 3 >= size_ * 4);
  char** old = slots_;
  const size_t old_capacity = capacity_;
  slots_ = static_cast<char**>(std::calloc(capacity, sizeof(char*)));
  if (slots_ == nullptr) throw std::bad_alloc();
  capacity_ = capacity;
  for (size_t i = 0; i < old_capacity; ++i) {
    if (old[i] == nullptr) continue;
    size_t slot = home_slot(old[i]);
    while (slots_[slot] != nullptr) slot = (slot + 1) & mask();
    slots_[slot] = old[i];
  }
  std::free(old);
}

FieldTable::Item FieldTable::random(Rng& rng) const {
  RING_ASSERT(size_ > 0);
  // At least 1/8 of the slots are used (erase shrinks below that), so this ends quickly.
  while (true) {
    const char* element = slots_[rng.below(capacity_)];
    if (element != nullptr) return item(element);
  }
}

}  // namespace ringcache::store
