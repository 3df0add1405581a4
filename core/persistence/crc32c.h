#pragma once
// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of AOF records. Written
// here in portable C++ (table-driven, eight bytes per step) because core/ includes no OS or
// third-party headers; the value is the standard one (crc32c("123456789") == 0xE3069283).

#include <cstdint>
#include <string_view>

namespace ringcache::persistence {

// The CRC of `data` continued from `crc` (0 to start).
uint32_t crc32c_extend(uint32_t crc, std::string_view data);
inline uint32_t crc32c(std::string_view data) { return crc32c_extend(0, data); }

}  // namespace ringcache::persistence
