#pragma once
// A connection's query buffer: bytes read from the socket and not yet parsed. Parsed requests
// are dropped by moving a start offset, and the unparsed tail is moved to the front only when
// room is needed, so a pipeline of many requests costs no per-request copying or allocation.

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>

#include "core/constants.h"
#include "core/util/assert.h"

namespace ringcache::node {

class QueryBuffer {
 public:
  // Unparsed bytes. Invalidated by writable().
  std::string_view pending() const { return {data_.get() + begin_, end_ - begin_}; }
  size_t size() const { return end_ - begin_; }
  size_t capacity() const { return capacity_; }
  // Room left after the pending bytes (CLIENT LIST's qbuf-free).
  size_t free_bytes() const { return capacity_ - size(); }

  // Room for at least `bytes` more at the end, compacting or growing as needed.
  std::span<char> writable(size_t bytes) {
    if (begin_ == end_) begin_ = end_ = 0;
    if (capacity_ - end_ < bytes && begin_ > 0) {
      std::memmove(data_.get(), data_.get() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (capacity_ - end_ < bytes) grow(end_ + bytes);
    return {data_.get() + end_, capacity_ - end_};
  }
  // Marks `bytes` of the span from writable() as filled.
  void commit(size_t bytes) {
    RING_ASSERT(end_ + bytes <= capacity_);
    end_ += bytes;
    peak_ = std::max(peak_, size());
  }
  // Drops `bytes` parsed bytes from the front.
  void consume(size_t bytes) {
    RING_ASSERT(bytes <= size());
    begin_ += bytes;
  }

  // The cron's rules, for an empty buffer nobody reads into: given back after a long idle;
  // shrunk to one read's room when well over what the client sent since the last call.
  // `peak` then starts again from now.
  void resize_while_empty(bool idle) {
    RING_ASSERT(size() == 0);
    if (idle) {
      release();
    } else if (capacity_ > constants::query_buffer_resize_threshold_bytes &&
               capacity_ / 2 > peak_) {
      release();
      grow(constants::read_chunk_bytes);
    }
    peak_ = 0;
  }

 private:
  void grow(size_t needed) {
    size_t capacity = capacity_ == 0 ? constants::read_chunk_bytes : capacity_;
    while (capacity < needed) capacity *= 2;
    // Not zeroed: room reserved for a large bulk costs memory only as its bytes arrive.
    std::unique_ptr<char[]> bigger(new char[capacity]);
    if (end_ > begin_) std::memcpy(bigger.get(), data_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    data_ = std::move(bigger);
    capacity_ = capacity;
  }
  void release() {
    data_.reset();
    capacity_ = 0;
  }

  std::unique_ptr<char[]> data_;
  size_t capacity_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
  size_t peak_ = 0;  // the most bytes pending at once since the last resize_while_empty
};

}  // namespace ringcache::node
