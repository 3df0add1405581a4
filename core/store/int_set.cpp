#include "core/store/int_set.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "core/store/alloc_size.h"
#include "core/util/assert.h"

namespace ringcache::store {
namespace {

// The narrowest width (2, 4 or 8 bytes) that holds `value`.
size_t width_for(int64_t value) {
  if (value >= std::numeric_limits<int16_t>::min() && value <= std::numeric_limits<int16_t>::max()) {
    return sizeof(int16_t);
  }
  if (value >= std::numeric_limits<int32_t>::min() && value <= std::numeric_limits<int32_t>::max()) {
    return sizeof(int32_t);
  }
  return sizeof(int64_t);
}

// A member stored in `width` bytes at `at`, and the reverse.
int64_t load(const uint8_t* at, size_t width) {
  if (width == sizeof(int16_t)) {
    int16_t value;
    std::memcpy(&value, at, sizeof(value));
    return value;
  }
  if (width == sizeof(int32_t)) {
    int32_t value;
    std::memcpy(&value, at, sizeof(value));
    return value;
  }
  int64_t value;
  std::memcpy(&value, at, sizeof(value));
  return value;
}

void save(uint8_t* at, size_t width, int64_t value) {
  if (width == sizeof(int16_t)) {
    const auto narrow = static_cast<int16_t>(value);
    std::memcpy(at, &narrow, sizeof(narrow));
  } else if (width == sizeof(int32_t)) {
    const auto narrow = static_cast<int32_t>(value);
    std::memcpy(at, &narrow, sizeof(narrow));
  } else {
    std::memcpy(at, &value, sizeof(value));
  }
}

}  // namespace

int64_t IntSet::at(size_t index) const {
  RING_ASSERT(index < size());
  return load(bytes_.data() + 1 + index * width(), width());
}

void IntSet::store(size_t index, int64_t value) {
  save(bytes_.data() + 1 + index * width(), width(), value);
}

size_t IntSet::lower_bound(int64_t value) const {
  size_t low = 0;
  size_t high = size();
  while (low < high) {
    const size_t middle = low + (high - low) / 2;
    if (at(middle) < value) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

bool IntSet::contains(int64_t value) const {
  const size_t rank = lower_bound(value);
  return rank < size() && at(rank) == value;
}

void IntSet::widen(size_t wider) {
  const size_t count = size();
  const size_t narrow = width();
  std::vector<uint8_t> old;
  old.swap(bytes_);
  bytes_.assign(1 + count * wider, 0);
  bytes_[0] = static_cast<uint8_t>(wider);
  for (size_t i = 0; i < count; ++i) store(i, load(old.data() + 1 + i * narrow, narrow));
}

bool IntSet::insert(int64_t value) {
  if (width_for(value) > width() || bytes_.empty()) {
    widen(std::max(width_for(value), width()));
  }
  const size_t rank = lower_bound(value);
  if (rank < size() && at(rank) == value) return false;
  const size_t offset = 1 + rank * width();
  bytes_.insert(bytes_.begin() + static_cast<ptrdiff_t>(offset), width(), 0);
  store(rank, value);
  return true;
}

bool IntSet::erase(int64_t value) {
  const size_t rank = lower_bound(value);
  if (rank >= size() || at(rank) != value) return false;
  const auto offset = static_cast<ptrdiff_t>(1 + rank * width());
  bytes_.erase(bytes_.begin() + offset, bytes_.begin() + offset + static_cast<ptrdiff_t>(width()));
  return true;
}

size_t IntSet::allocated_bytes() const {
  return bytes_.capacity() == 0 ? 0 : malloc_chunk_bytes(bytes_.capacity());
}

}  // namespace ringcache::store
