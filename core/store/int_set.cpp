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
int64_t load(const char* at, size_t width) {
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

void save(char* at, size_t width, int64_t value) {
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

IntSet IntSet::borrow(char* data, size_t used, size_t /*count*/, size_t capacity) {
  IntSet set;
  set.bytes_ = ByteBuffer::borrow(data, used, capacity);
  return set;
}

int64_t IntSet::at(size_t index) const {
  RING_ASSERT(index < size());
  return load(slot(index), width());
}

void IntSet::store(size_t index, int64_t value) { save(slot(index), width(), value); }

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
  RING_ASSERT(wider >= narrow);
  if (bytes_.used() == 0) bytes_.open_gap(0, 1);
  bytes_.open_gap(bytes_.used(), count * (wider - narrow));
  // In place from the last member down: each one's new slot starts at or after its old one and
  // ends before any slot still to be read.
  char* members = bytes_.data() + 1;
  for (size_t i = count; i-- > 0;) {
    save(members + i * wider, wider, load(members + i * narrow, narrow));
  }
  bytes_.data()[0] = static_cast<char>(wider);
}

bool IntSet::insert(int64_t value) {
  if (width_for(value) > width() || bytes_.used() == 0) {
    widen(std::max(width_for(value), width()));
  }
  const size_t rank = lower_bound(value);
  if (rank < size() && at(rank) == value) return false;
  bytes_.open_gap(1 + rank * width(), width());
  store(rank, value);
  return true;
}

bool IntSet::erase(int64_t value) {
  const size_t rank = lower_bound(value);
  if (rank >= size() || at(rank) != value) return false;
  bytes_.close_gap(1 + rank * width(), width());
  return true;
}

}  // namespace ringcache::store
