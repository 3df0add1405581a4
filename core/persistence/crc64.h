#pragma once
// CRC-64 as Redis computes it for DUMP payloads and RDB files: the Jones polynomial
// (0xad93d23594c935a9), reflected, initial value 0, no final xor. Written here from that
// definition (table-driven, a byte per step); the value is Redis' own test vector:
// crc64("123456789") == 0xe9c6d914c4b8d9ca.

#include <cstdint>
#include <string_view>

namespace ringcache::persistence {

// The CRC of `data` continued from `crc` (0 to start).
uint64_t crc64_extend(uint64_t crc, std::string_view data);
inline uint64_t crc64(std::string_view data) { return crc64_extend(0, data); }

}  // namespace ringcache::persistence
