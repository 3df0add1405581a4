#pragma once
// What Redis 7.0's listpack encoding takes for one element, so a stream block can know how big
// the Redis node holding the same entries would be: stream-node-max-bytes compares that size,
// and blocks must start exactly where Redis starts a new node (XTRIM ~ and XINFO depend on it).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/util/integer.h"

namespace ringcache::store::listpack_size {

// Bytes of the back-length field after an element whose encoding + data take `bytes`.
inline size_t backlen_bytes(size_t bytes) {
  if (bytes <= 127) return 1;
  if (bytes < 16383) return 2;
  if (bytes < 2097151) return 3;
  if (bytes < 268435455) return 4;
  return 5;
}

// An integer element (lpAppendInteger).
inline size_t integer(int64_t value) {
  size_t bytes;
  if (value >= 0 && value <= 127) {
    bytes = 1;
  } else if (value >= -4096 && value <= 4095) {
    bytes = 2;
  } else if (value >= INT16_MIN && value <= INT16_MAX) {
    bytes = 3;
  } else if (value >= -8388608 && value <= 8388607) {
    bytes = 4;
  } else if (value >= INT32_MIN && value <= INT32_MAX) {
    bytes = 5;
  } else {
    bytes = 9;
  }
  return bytes + backlen_bytes(bytes);
}

// A string element (lpAppend): stored as an integer when it reads as one (string2ll's rules).
inline size_t string(std::string_view text) {
  if (text.size() <= 20) {
    if (const auto value = parse_int64(text)) return integer(*value);
  }
  size_t bytes = text.size() + (text.size() < 64 ? 1 : text.size() < 4096 ? 2 : 5);
  return bytes + backlen_bytes(bytes);
}

// An empty listpack: header and end byte.
inline constexpr size_t empty_bytes = 7;

}  // namespace ringcache::store::listpack_size
