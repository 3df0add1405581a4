// Entry layout and the string encodings OBJECT ENCODING reports.

#include "core/store/entry.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>

#include "core/constants.h"
#include "core/store/collection.h"
#include "core/store/alloc_size.h"
#include "core/util/assert.h"

namespace ringcache::store {

namespace {

// Redis' string2ll rules: optional '-', no '+', no leading zeros or spaces, fits int64, at most
// 20 characters. Such a string round-trips through an integer, so it is encoded "int".
bool is_canonical_int64(std::string_view s) {
  if (s.empty() || s.size() > 20) return false;
  if (s == "0") return true;
  size_t i = 0;
  const bool negative = s[0] == '-';
  if (negative) i = 1;
  if (i == s.size() || s[i] < '1' || s[i] > '9') return false;
  uint64_t value = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    const uint64_t digit = static_cast<uint64_t>(s[i] - '0');
    if (value > (UINT64_MAX - digit) / 10) return false;
    value = value * 10 + digit;
  }
  const uint64_t limit = negative ? (1ULL << 63) : (1ULL << 63) - 1;
  return value <= limit;
}

constexpr size_t embstr_len_max = 44;  // Redis' OBJ_ENCODING_EMBSTR_SIZE_LIMIT

}  // namespace

const char* type_name(ValueType type) {
  switch (type) {
    case ValueType::string: return "string";
    case ValueType::list: return "list";
    case ValueType::set: return "set";
    case ValueType::zset: return "zset";
    case ValueType::hash: return "hash";
    case ValueType::stream: return "stream";
  }
  RING_UNREACHABLE();
}

std::string_view Entry::key() const { return {data(), key_len()}; }

ValueType Entry::type() const { return static_cast<ValueType>((meta_ >> type_shift) & 7u); }

std::string_view Entry::string_value() const {
  RING_ASSERT(type() == ValueType::string);
  return {data() + key_len(), value_len()};
}

Collection* Entry::collection() const {
  RING_ASSERT(type() != ValueType::string);
  // The object starts at the first aligned byte of the value bytes (create_collection).
  const auto start = reinterpret_cast<uintptr_t>(data() + key_len());
  const uintptr_t object = (start + collection_alignment - 1) & ~(collection_alignment - 1);
  return std::launder(reinterpret_cast<Collection*>(object));
}

const char* Entry::encoding() const {
  if (type() != ValueType::string) return collection()->encoding();
  const std::string_view value = string_value();
  const StringForm form = string_form();
  if (form == StringForm::raw) return "raw";
  if (form == StringForm::parsed && is_canonical_int64(value)) return "int";
  return value.size() <= embstr_len_max ? "embstr" : "raw";
}

size_t Entry::key_len() const { return wide() ? lens_ : (lens_ & narrow_len_max); }

size_t Entry::value_len() const {
  if (!wide()) return lens_ >> 16;
  uint32_t len;
  std::memcpy(&len, reinterpret_cast<const char*>(this) + sizeof(Entry), sizeof(len));
  return len;
}

size_t Entry::header_bytes() const {
  return sizeof(Entry) + (wide() ? sizeof(uint32_t) : 0) + (has_slack() ? sizeof(uint32_t) : 0);
}

size_t Entry::value_capacity() const {
  if (!has_slack()) return value_len();
  uint32_t capacity;
  std::memcpy(&capacity, reinterpret_cast<const char*>(this) + sizeof(Entry) + sizeof(uint32_t),
              sizeof(capacity));
  return capacity;
}

size_t Entry::request_bytes(size_t key_len, size_t value_len) {
  const bool wide = key_len > narrow_len_max || value_len > narrow_len_max;
  return sizeof(Entry) + (wide ? sizeof(uint32_t) : 0) + key_len + value_len;
}

size_t Entry::allocated_bytes() const {
  // Slack entries were allocated exactly header + key + capacity bytes (see create_with_slack).
  if (has_slack()) return malloc_chunk_bytes(header_bytes() + key_len() + value_capacity());
  return malloc_chunk_bytes(malloc_request_bytes(request_bytes(key_len(), value_len())));
}

Entry* Entry::allocate(std::string_view key, size_t value_len) {
  RING_ASSERT(key.size() <= UINT32_MAX && value_len <= UINT32_MAX);
  RING_ASSERT(static_cast<int64_t>(value_len) <= constants::string_bytes_max);
  void* memory = ::operator new(malloc_request_bytes(request_bytes(key.size(), value_len)));
  Entry* entry = new (memory) Entry();
  const bool wide = key.size() > narrow_len_max || value_len > narrow_len_max;
  entry->meta_ = static_cast<uint32_t>(ValueType::string) << type_shift;
  if (wide) {
    entry->meta_ |= wide_bit;
    entry->lens_ = static_cast<uint32_t>(key.size());
    const auto len = static_cast<uint32_t>(value_len);
    std::memcpy(reinterpret_cast<char*>(entry) + sizeof(Entry), &len, sizeof(len));
  } else {
    entry->lens_ = static_cast<uint32_t>(key.size() | (value_len << 16));
  }
  // Empty views may carry a null data pointer, which memcpy must not see.
  if (!key.empty()) std::memcpy(entry->data(), key.data(), key.size());
  RING_ASSERT(entry->key_len() == key.size() && entry->value_len() == value_len);
  return entry;
}

Entry* Entry::create(std::string_view key, std::string_view value) {
  Entry* entry = allocate(key, value.size());
  if (!value.empty()) std::memcpy(entry->data() + key.size(), value.data(), value.size());
  return entry;
}

Entry* Entry::create_with_slack(std::string_view key, std::string_view value,
                                size_t value_capacity) {
  RING_ASSERT(value_capacity >= value.size());
  RING_ASSERT(key.size() <= UINT32_MAX && value_capacity <= UINT32_MAX);
  constexpr size_t header = sizeof(Entry) + 2 * sizeof(uint32_t);
  // Use the whole chunk: the capacity is whatever the allocation leaves after key and header.
  const size_t request = malloc_request_bytes(header + key.size() + value_capacity);
  const auto capacity = static_cast<uint32_t>(request - header - key.size());
  Entry* entry = new (::operator new(request)) Entry();
  entry->meta_ = (static_cast<uint32_t>(ValueType::string) << type_shift) | wide_bit | slack_bit;
  entry->lens_ = static_cast<uint32_t>(key.size());
  const auto value_len = static_cast<uint32_t>(value.size());
  char* words = reinterpret_cast<char*>(entry) + sizeof(Entry);
  std::memcpy(words, &value_len, sizeof(value_len));
  std::memcpy(words + sizeof(uint32_t), &capacity, sizeof(capacity));
  RING_ASSERT(entry->header_bytes() == header);
  if (!key.empty()) std::memcpy(entry->data(), key.data(), key.size());
  if (!value.empty()) std::memcpy(entry->data() + key.size(), value.data(), value.size());
  RING_ASSERT(entry->allocated_bytes() == malloc_chunk_bytes(request));
  return entry;
}

size_t Entry::collection_header_bytes(size_t key_len) {
  return sizeof(Entry) + (key_len > narrow_len_max ? sizeof(uint32_t) : 0);
}

size_t Entry::collection_padding(size_t key_len) {
  const size_t end = collection_header_bytes(key_len) + key_len;
  return (collection_alignment - end % collection_alignment) % collection_alignment;
}

size_t Entry::collection_chunk_bytes(size_t key_len, size_t object_bytes) {
  return malloc_chunk_bytes(
      malloc_request_bytes(request_bytes(key_len, collection_padding(key_len) + object_bytes)));
}

Entry* Entry::create_collection(std::string_view key, Collection&& value, size_t room) {
  RING_ASSERT(value.type() != ValueType::string);
  // The value bytes: padding up to the object's alignment (the entry itself is malloc-aligned),
  // then the object and the compact bytes it keeps inline. Such a value is never longer than
  // narrow_len_max, so only a long key makes the layout wide.
  const size_t header = collection_header_bytes(key.size());
  const size_t padding = collection_padding(key.size());
  const size_t value_len =
      padding + std::max(value.object_bytes(), value.own_bytes() + room);
  RING_ASSERT(value_len <= narrow_len_max);
  Entry* entry = allocate(key, value_len);
  entry->meta_ = (entry->meta_ & ~(7u << type_shift)) |
                 (static_cast<uint32_t>(value.type()) << type_shift);
  RING_ASSERT(entry->header_bytes() == header);
  // The object may use the whole rest of the chunk (allocate() asked for all of it).
  const size_t space = malloc_request_bytes(request_bytes(key.size(), value_len)) - header -
                       key.size() - padding;
  Collection* placed = value.move_to(entry->data() + key.size() + padding, space);
  RING_ASSERT(placed == entry->collection());
  return entry;
}

size_t Entry::collection_room() const {
  const size_t usable = malloc_request_bytes(request_bytes(key_len(), value_len()));
  return usable - header_bytes() - key_len() - collection_padding(key_len()) -
         collection()->own_bytes();
}

bool Entry::collection_repack_wanted() const {
  const Collection* value = collection();
  const size_t wanted = value->object_bytes();
  // Compact bytes held out of line that would move in.
  if (wanted != value->placed_bytes()) return true;
  // More room than growth leaves (a repack after growth gives at most wanted inline bytes / the
  // divisor more, see collection_repack_room), so one that fits stays where it is.
  const size_t growth = (wanted - value->own_bytes()) / constants::collection_room_growth_divisor;
  return collection_chunk_bytes(key_len(), wanted + growth) < allocated_bytes();
}

size_t Entry::collection_repack_room() const {
  const Collection* value = collection();
  const size_t wanted = value->object_bytes() - value->own_bytes();
  const size_t room = collection_room();
  if (wanted <= room) return wanted;  // shrinking: made to measure
  const size_t grown = room + room / constants::collection_room_growth_divisor;
  return std::max(wanted, std::min(grown, constants::collection_inline_bytes_max));
}

void Entry::destroy(Entry* entry) {
  RING_ASSERT(entry->expire_ == nullptr);  // the ExpireSet must have let go first
  if (entry->type() != ValueType::string) entry->collection()->~Collection();
  entry->~Entry();
  ::operator delete(static_cast<void*>(entry));
}

bool Entry::value_fits_in_place(size_t new_len) const {
  if (has_slack()) return new_len <= value_capacity();
  const size_t current = request_bytes(key_len(), value_len());
  const size_t wanted = request_bytes(key_len(), new_len);
  // The layout (narrow/wide) must stay, and the allocation we would make for the new size must be
  // the one we made: then the bytes are ours and allocated_bytes() stays true.
  const bool same_layout = (wanted - key_len() - new_len) == (current - key_len() - value_len());
  return same_layout && malloc_request_bytes(wanted) == malloc_request_bytes(current);
}

void Entry::replace_value_in_place(std::string_view value) {
  RING_ASSERT(value_fits_in_place(value.size()));
  const size_t klen = key_len();
  if (wide()) {
    const auto value_len = static_cast<uint32_t>(value.size());
    std::memcpy(reinterpret_cast<char*>(this) + sizeof(Entry), &value_len, sizeof(value_len));
  } else {
    lens_ = static_cast<uint32_t>(klen | (value.size() << 16));
  }
  // memmove: the new value may be a view into the old one (SETRANGE/APPEND callers).
  if (!value.empty()) std::memmove(data() + klen, value.data(), value.size());
}

}  // namespace ringcache::store
