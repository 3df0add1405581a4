#pragma once
// The bytes of a compact encoding (PackedList, IntSet): one malloc'd buffer that grows to whole
// chunks, by at least half (amortised O(1) appends), and shrinks to fit on demand. It may also
// borrow bytes it does not own (borrow(): the room a collection keeps inside its Entry,
// compact_storage.h): it works in them in place, and the first change that needs more room
// copies them to a buffer of its own and leaves the borrowed bytes as they were.

#include <cstddef>
#include <cstdint>

namespace ringcache::store {

class ByteBuffer {
 public:
  ByteBuffer() = default;
  ~ByteBuffer() { release(); }
  ByteBuffer(const ByteBuffer& other);  // the copy owns its bytes
  ByteBuffer& operator=(const ByteBuffer& other);
  ByteBuffer(ByteBuffer&& other) noexcept;  // carries the borrowing along
  ByteBuffer& operator=(ByteBuffer&& other) noexcept;

  // A buffer over `capacity` bytes at `data` that it does not own, `used` of them in use.
  static ByteBuffer borrow(char* data, size_t used, size_t capacity);
  bool borrowed() const { return (capacity_ & borrowed_bit) != 0; }

  char* data() { return data_; }
  const char* data() const { return data_; }
  size_t used() const { return used_; }
  // Room for bytes without moving.
  size_t capacity() const { return capacity_ & ~borrowed_bit; }
  // Bytes taken from the allocator; 0 while borrowing.
  size_t allocated_bytes() const;

  // Opens `bytes` bytes at `offset` <= used(), moving what follows; returns where they start
  // (their content is unspecified). May move the buffer.
  char* open_gap(size_t offset, size_t bytes);
  // Removes `bytes` bytes at `offset`, moving what follows.
  void close_gap(size_t offset, size_t bytes);
  // Empties it and frees (or stops borrowing) the bytes.
  void clear();
  // Gives back growth room: the buffer becomes the smallest chunk that holds what is used.
  // Borrowed bytes are never resized.
  void shrink_to_fit();

 private:
  static constexpr uint32_t borrowed_bit = 1u << 31;
  void release();
  void reserve_more(size_t extra);

  char* data_ = nullptr;
  uint32_t used_ = 0;
  uint32_t capacity_ = 0;  // | borrowed_bit while borrowing
};

}  // namespace ringcache::store
