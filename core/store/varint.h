#pragma once
// LEB128 varints (7 bits per byte, low groups first, high bit = "more follows"): the length
// words of PackedList elements and FieldTable elements.

#include <cstddef>
#include <cstdint>

namespace ringcache::store::varint {

inline size_t bytes(uint64_t value) {
  size_t count = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++count;
  }
  return count;
}

// Writes `value` at `out`; returns the bytes written.
inline size_t write(char* out, uint64_t value) {
  size_t i = 0;
  while (value >= 0x80) {
    out[i++] = static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  out[i++] = static_cast<char>(value);
  return i;
}

// Reads the varint at `in`; `consumed` receives its size.
inline uint64_t read(const char* in, size_t* consumed) {
  uint64_t value = 0;
  int shift = 0;
  size_t i = 0;
  while (true) {
    const auto byte = static_cast<uint8_t>(in[i++]);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) break;
    shift += 7;
  }
  *consumed = i;
  return value;
}

}  // namespace ringcache::store::varint
