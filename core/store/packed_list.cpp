// PackedList layout: for each element, a forward length word (LEB128 varint of the payload
// size), the payload, then a backward length word: the size of forward word + payload, written
// so it can be read from its last byte towards the front (7 bits per byte, high bit set on every
// byte but the first, which ends the backward read).

#include "core/store/packed_list.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <utility>

#include "core/store/alloc_size.h"
#include "core/store/varint.h"
#include "core/util/assert.h"

namespace ringcache::store {
namespace {

size_t varint_bytes(uint64_t value) { return varint::bytes(value); }

// Forward word: a plain varint (varint.h).
size_t write_forward(char* out, uint64_t value) { return varint::write(out, value); }

uint64_t read_forward(const char* in, size_t* consumed) { return varint::read(in, consumed); }

// Backward word: the same groups in reverse order, so reading starts at the last byte; the
// first byte of the word has the high bit clear and ends the read.
size_t write_backward(char* out, uint64_t value) {
  const size_t bytes = varint_bytes(value);
  for (size_t i = 0; i < bytes; ++i) {
    const auto group = static_cast<uint8_t>((value >> (7 * i)) & 0x7f);
    out[bytes - 1 - i] = static_cast<char>(i + 1 == bytes ? group : (group | 0x80));
  }
  return bytes;
}

// Reads the backward word that ends just before `end`; returns the value and its size.
uint64_t read_backward(const char* end, size_t* consumed) {
  uint64_t value = 0;
  size_t i = 0;
  while (true) {
    const auto byte = static_cast<uint8_t>(*(end - 1 - i));
    value |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    ++i;
    if ((byte & 0x80) == 0) break;
  }
  *consumed = i;
  return value;
}

size_t element_bytes(size_t payload) {
  const size_t forward = varint_bytes(payload) + payload;
  return forward + varint_bytes(forward);
}

}  // namespace

PackedList::~PackedList() { release(); }

void PackedList::release() {
  if (!borrowed_) std::free(data_);
  data_ = nullptr;
  borrowed_ = false;
}

PackedList PackedList::borrow(char* data, size_t used, size_t count, size_t capacity) {
  RING_ASSERT(used <= capacity && capacity <= UINT32_MAX);
  PackedList list;
  list.data_ = data;
  list.used_ = static_cast<uint32_t>(used);
  list.count_ = static_cast<uint32_t>(count);
  list.capacity_ = static_cast<uint32_t>(capacity);
  list.borrowed_ = true;
  return list;
}

PackedList::PackedList(const PackedList& other) { *this = other; }

PackedList& PackedList::operator=(const PackedList& other) {
  if (this == &other) return *this;
  clear();
  reserve_more(other.used_);
  if (other.used_ > 0) std::memcpy(data_, other.data_, other.used_);
  used_ = other.used_;
  count_ = other.count_;
  return *this;
}

PackedList::PackedList(PackedList&& other) noexcept { *this = std::move(other); }

PackedList& PackedList::operator=(PackedList&& other) noexcept {
  if (this == &other) return *this;
  release();
  data_ = std::exchange(other.data_, nullptr);
  borrowed_ = std::exchange(other.borrowed_, false);
  used_ = std::exchange(other.used_, 0);
  capacity_ = std::exchange(other.capacity_, 0);
  count_ = std::exchange(other.count_, 0);
  return *this;
}

size_t PackedList::allocated_bytes() const {
  return data_ == nullptr || borrowed_ ? 0 : malloc_chunk_bytes(capacity_);
}

void PackedList::clear() {
  release();
  used_ = capacity_ = count_ = 0;
}

void PackedList::shrink_to_fit() {
  if (borrowed_) return;
  if (used_ == 0) return clear();
  const size_t wanted = malloc_request_bytes(used_);
  if (malloc_chunk_bytes(wanted) >= malloc_chunk_bytes(capacity_)) return;
  void* shrunk = std::realloc(data_, wanted);
  if (shrunk == nullptr) return;  // keeping the larger buffer is correct, only less lean
  data_ = static_cast<char*>(shrunk);
  capacity_ = static_cast<uint32_t>(wanted);
}

void PackedList::reserve_more(size_t extra) {
  const size_t needed = used_ + extra;
  if (needed <= capacity_) return;
  RING_ASSERT_MSG(needed <= UINT32_MAX, "a packed list stays small");
  // Grow by at least half (amortised O(1) appends), to the whole usable chunk.
  const size_t wanted = malloc_request_bytes(std::max<size_t>(needed, capacity_ + capacity_ / 2));
  // Borrowed bytes are copied out, never resized: they are left as they were.
  void* grown = borrowed_ ? std::malloc(wanted) : std::realloc(data_, wanted);
  if (grown == nullptr) throw std::bad_alloc();
  if (borrowed_ && used_ > 0) std::memcpy(grown, data_, used_);
  borrowed_ = false;
  data_ = static_cast<char*>(grown);
  capacity_ = static_cast<uint32_t>(wanted);
}

PackedList::Pos PackedList::last() const { return used_ == 0 ? end() : prev(end()); }

std::string_view PackedList::at(Pos pos) const {
  RING_ASSERT(pos < used_);
  size_t header;
  const uint64_t length = read_forward(data_ + pos, &header);
  return {data_ + pos + header, length};
}

PackedList::Pos PackedList::next(Pos pos) const {
  RING_ASSERT(pos < used_);
  size_t header;
  const uint64_t length = read_forward(data_ + pos, &header);
  return static_cast<Pos>(pos + header + length + varint_bytes(header + length));
}

PackedList::Pos PackedList::prev(Pos pos) const {
  RING_ASSERT(pos > 0 && pos <= used_);
  size_t trailer;
  const uint64_t forward = read_backward(data_ + pos, &trailer);
  return static_cast<Pos>(pos - trailer - forward);
}

PackedList::Pos PackedList::seek(int64_t index) const {
  if (index >= 0) {
    if (static_cast<uint64_t>(index) >= count_) return end();
    Pos pos = begin();
    for (int64_t i = 0; i < index; ++i) pos = next(pos);
    return pos;
  }
  if (static_cast<uint64_t>(-(index + 1)) >= count_) return end();
  Pos pos = end();
  for (int64_t i = 0; i < -index; ++i) pos = prev(pos);
  return pos;
}

PackedList::Pos PackedList::insert(Pos pos, std::string_view value) {
  RING_ASSERT(pos <= used_);
  const size_t bytes = element_bytes(value.size());
  // `value` may view our own buffer (LSET of an element onto another): copy it out first.
  const bool aliases = data_ != nullptr && value.data() >= data_ && value.data() < data_ + used_;
  std::string copy;
  if (aliases) {
    copy.assign(value);
    value = copy;
  }
  reserve_more(bytes);
  std::memmove(data_ + pos + bytes, data_ + pos, used_ - pos);
  char* out = data_ + pos;
  const size_t header = write_forward(out, value.size());
  if (!value.empty()) std::memcpy(out + header, value.data(), value.size());
  write_backward(out + header + value.size(), header + value.size());
  used_ += static_cast<uint32_t>(bytes);
  ++count_;
  return pos;
}

PackedList::Pos PackedList::erase(Pos pos) { return erase(pos, 1); }

PackedList::Pos PackedList::erase(Pos pos, size_t count) {
  Pos stop = pos;
  for (size_t i = 0; i < count; ++i) stop = next(stop);
  std::memmove(data_ + pos, data_ + stop, used_ - stop);
  used_ -= stop - pos;
  count_ -= static_cast<uint32_t>(count);
  return pos;
}

PackedList::Pos PackedList::replace(Pos pos, std::string_view value) {
  if (at(pos) == value) return pos;
  // Insert first: `value` may view the element being replaced.
  const Pos inserted = insert(pos, value);
  erase(next(inserted));
  return inserted;
}

PackedList::Pos PackedList::find(std::string_view value, Pos from, size_t stride) const {
  RING_ASSERT(stride >= 1);
  for (Pos pos = from; pos < used_;) {
    if (at(pos) == value) return pos;
    for (size_t i = 0; i < stride && pos < used_; ++i) pos = next(pos);
  }
  return end();
}

}  // namespace ringcache::store
