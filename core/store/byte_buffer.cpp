#include "core/store/byte_buffer.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#include "core/store/alloc_size.h"
#include "core/util/assert.h"

namespace ringcache::store {

void ByteBuffer::release() {
  if (!borrowed()) std::free(data_);
  data_ = nullptr;
  capacity_ = 0;
}

ByteBuffer ByteBuffer::borrow(char* data, size_t used, size_t capacity) {
  RING_ASSERT(used <= capacity && capacity < borrowed_bit);
  ByteBuffer buffer;
  buffer.data_ = data;
  buffer.used_ = static_cast<uint32_t>(used);
  buffer.capacity_ = static_cast<uint32_t>(capacity) | borrowed_bit;
  return buffer;
}

ByteBuffer::ByteBuffer(const ByteBuffer& other) { *this = other; }

ByteBuffer& ByteBuffer::operator=(const ByteBuffer& other) {
  if (this == &other) return *this;
  clear();
  if (other.used_ > 0) std::memcpy(open_gap(0, other.used_), other.data_, other.used_);
  return *this;
}

ByteBuffer::ByteBuffer(ByteBuffer&& other) noexcept { *this = std::move(other); }

ByteBuffer& ByteBuffer::operator=(ByteBuffer&& other) noexcept {
  if (this == &other) return *this;
  release();
  data_ = std::exchange(other.data_, nullptr);
  used_ = std::exchange(other.used_, 0);
  capacity_ = std::exchange(other.capacity_, 0);
  return *this;
}

size_t ByteBuffer::allocated_bytes() const {
  return data_ == nullptr || borrowed() ? 0 : malloc_chunk_bytes(capacity());
}

void ByteBuffer::clear() {
  release();
  used_ = 0;
}

void ByteBuffer::shrink_to_fit() {
  if (borrowed()) return;
  if (used_ == 0) return clear();
  const size_t wanted = malloc_request_bytes(used_);
  if (malloc_chunk_bytes(wanted) >= malloc_chunk_bytes(capacity())) return;
  void* shrunk = std::realloc(data_, wanted);
  if (shrunk == nullptr) return;  // keeping the larger buffer is correct, only less lean
  data_ = static_cast<char*>(shrunk);
  capacity_ = static_cast<uint32_t>(wanted);
}

void ByteBuffer::reserve_more(size_t extra) {
  const size_t needed = used_ + extra;
  if (needed <= capacity()) return;
  RING_ASSERT_MSG(needed < borrowed_bit, "a compact encoding stays small");
  const size_t wanted =
      malloc_request_bytes(std::max<size_t>(needed, capacity() + capacity() / 2));
  // Borrowed bytes are copied out, never resized: they are left as they were.
  void* grown = borrowed() ? std::malloc(wanted) : std::realloc(data_, wanted);
  if (grown == nullptr) throw std::bad_alloc();
  if (borrowed() && used_ > 0) std::memcpy(grown, data_, used_);
  data_ = static_cast<char*>(grown);
  capacity_ = static_cast<uint32_t>(wanted);
}

char* ByteBuffer::open_gap(size_t offset, size_t bytes) {
  RING_ASSERT(offset <= used_);
  if (bytes == 0) return data_ + offset;
  reserve_more(bytes);
  std::memmove(data_ + offset + bytes, data_ + offset, used_ - offset);
  used_ += static_cast<uint32_t>(bytes);
  return data_ + offset;
}

void ByteBuffer::close_gap(size_t offset, size_t bytes) {
  RING_ASSERT(offset + bytes <= used_);
  std::memmove(data_ + offset, data_ + offset + bytes, used_ - offset - bytes);
  used_ -= static_cast<uint32_t>(bytes);
}

}  // namespace ringcache::store
