#include "core/replication/backlog.h"

#include <algorithm>
#include <cstddef>

#include "core/util/assert.h"

namespace ringcache::replication {

Backlog::Backlog(size_t capacity, uint64_t end_offset)
    : buffer_(capacity), end_offset_(end_offset) {
  RING_ASSERT_MSG(capacity > 0, "a backlog holds at least one byte");
}

void Backlog::append(std::string_view bytes) {
  end_offset_ += bytes.size();
  // Only the newest capacity() bytes can stay.
  if (bytes.size() > buffer_.size()) bytes.remove_prefix(bytes.size() - buffer_.size());
  while (!bytes.empty()) {
    const size_t room = buffer_.size() - write_index_;
    const size_t part = std::min(room, bytes.size());
    std::copy_n(bytes.data(), part, buffer_.begin() + static_cast<std::ptrdiff_t>(write_index_));
    write_index_ = (write_index_ + part) % buffer_.size();
    histlen_ = std::min(buffer_.size(), histlen_ + part);
    bytes.remove_prefix(part);
  }
}

size_t Backlog::copy_from(uint64_t offset, size_t max_bytes, std::string& out) const {
  RING_ASSERT_MSG(covers(offset), "copy_from an offset the backlog holds");
  const size_t available = static_cast<size_t>(end_offset_ + 1 - offset);
  const size_t wanted = std::min(available, max_bytes);
  // The byte at end_offset_ sits just before write_index_; count back from there.
  size_t index = (write_index_ + buffer_.size() - available % buffer_.size()) % buffer_.size();
  size_t left = wanted;
  while (left > 0) {
    const size_t part = std::min(left, buffer_.size() - index);
    out.append(buffer_.data() + index, part);
    index = (index + part) % buffer_.size();
    left -= part;
  }
  return wanted;
}

void Backlog::resize(size_t capacity) {
  RING_ASSERT_MSG(capacity > 0, "a backlog holds at least one byte");
  if (capacity == buffer_.size()) return;
  std::string kept;
  const size_t keep = std::min(histlen_, capacity);
  if (keep > 0) copy_from(end_offset_ + 1 - keep, keep, kept);
  buffer_.assign(capacity, '\0');
  write_index_ = 0;
  histlen_ = 0;
  const uint64_t end = end_offset_;
  end_offset_ = end - kept.size();
  append(kept);
}

void Backlog::reset(uint64_t end_offset) {
  end_offset_ = end_offset;
  histlen_ = 0;
  write_index_ = 0;
}

}  // namespace ringcache::replication
