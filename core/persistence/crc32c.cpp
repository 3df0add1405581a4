#include "core/persistence/crc32c.h"

#include <array>

namespace ringcache::persistence {
namespace {

constexpr uint32_t polynomial = 0x82F63B78u;

// tables[k][b]: the CRC of byte b followed by k zero bytes ("slicing by 8").
using Tables = std::array<std::array<uint32_t, 256>, 8>;

constexpr Tables make_tables() {
  Tables tables{};
  for (uint32_t b = 0; b < 256; ++b) {
    uint32_t crc = b;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ ((crc & 1) ? polynomial : 0);
    tables[0][b] = crc;
  }
  for (size_t k = 1; k < 8; ++k) {
    for (uint32_t b = 0; b < 256; ++b) {
      const uint32_t prev = tables[k - 1][b];
      tables[k][b] = (prev >> 8) ^ tables[0][prev & 0xff];
    }
  }
  return tables;
}

constexpr Tables crc_tables = make_tables();

uint32_t load_le32(const unsigned char* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

}  // namespace

uint32_t crc32c_extend(uint32_t crc, std::string_view data) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  size_t n = data.size();
  crc = ~crc;
  while (n >= 8) {
    const uint32_t low = load_le32(p) ^ crc;
    const uint32_t high = load_le32(p + 4);
    crc = crc_tables[7][low & 0xff] ^ crc_tables[6][(low >> 8) & 0xff] ^
          crc_tables[5][(low >> 16) & 0xff] ^ crc_tables[4][low >> 24] ^
          crc_tables[3][high & 0xff] ^ crc_tables[2][(high >> 8) & 0xff] ^
          crc_tables[1][(high >> 16) & 0xff] ^ crc_tables[0][high >> 24];
    p += 8;
    n -= 8;
  }
  while (n-- > 0) crc = (crc >> 8) ^ crc_tables[0][(crc ^ *p++) & 0xff];
  return ~crc;
}

}  // namespace ringcache::persistence
