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

PackedList PackedList::borrow(char* data, size_t used, size_t count, size_t capacity) {
  PackedList list;
  list.bytes_ = ByteBuffer::borrow(data, used, capacity);
  list.count_ = static_cast<uint32_t>(count);
  return list;
}

PackedList::PackedList(PackedList&& other) noexcept
    : bytes_(std::move(other.bytes_)), count_(std::exchange(other.count_, 0)) {}

PackedList& PackedList::operator=(PackedList&& other) noexcept {
  bytes_ = std::move(other.bytes_);
  count_ = std::exchange(other.count_, 0);
  return *this;
}

PackedList::Pos PackedList::last() const { return end() == 0 ? end() : prev(end()); }

std::string_view PackedList::at(Pos pos) const {
  RING_ASSERT(pos < end());
  size_t header;
  const uint64_t length = read_forward(data_at(pos), &header);
  return {data_at(pos) + header, length};
}

PackedList::Pos PackedList::next(Pos pos) const {
  RING_ASSERT(pos < end());
  size_t header;
  const uint64_t length = read_forward(data_at(pos), &header);
  return static_cast<Pos>(pos + header + length + varint_bytes(header + length));
}

PackedList::Pos PackedList::prev(Pos pos) const {
  RING_ASSERT(pos > 0 && pos <= end());
  size_t trailer;
  const uint64_t forward = read_backward(data_at(pos), &trailer);
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
  RING_ASSERT(pos <= end());
  const size_t bytes = element_bytes(value.size());
  // `value` may view our own buffer (LSET of an element onto another): copy it out first.
  std::string copy;
  if (views_own_bytes(value)) value = copy.assign(value);
  char* out = bytes_.open_gap(pos, bytes);
  const size_t header = write_forward(out, value.size());
  if (!value.empty()) std::memcpy(out + header, value.data(), value.size());
  write_backward(out + header + value.size(), header + value.size());
  ++count_;
  return pos;
}

PackedList::Pos PackedList::erase(Pos pos) { return erase(pos, 1); }

PackedList::Pos PackedList::erase(Pos pos, size_t count) {
  Pos stop = pos;
  for (size_t i = 0; i < count; ++i) stop = next(stop);
  bytes_.close_gap(pos, stop - pos);
  count_ -= static_cast<uint32_t>(count);
  return pos;
}

PackedList::Pos PackedList::replace(Pos pos, std::string_view value) {
  if (at(pos) == value) return pos;
  // Erase first, so a value no longer than the old one never needs more room (an inline list
  // then stays in its Entry); a `value` viewing our bytes is copied out before they move.
  std::string copy;
  if (views_own_bytes(value)) value = copy.assign(value);
  erase(pos);
  return insert(pos, value);
}

bool PackedList::views_own_bytes(std::string_view value) const {
  return data() != nullptr && value.data() >= data_at(0) && value.data() < data_at(end());
}

PackedList::Pos PackedList::find(std::string_view value, Pos from, size_t stride) const {
  RING_ASSERT(stride >= 1);
  for (Pos pos = from; pos < end();) {
    if (at(pos) == value) return pos;
    for (size_t i = 0; i < stride && pos < end(); ++i) pos = next(pos);
  }
  return end();
}

}  // namespace ringcache::store
