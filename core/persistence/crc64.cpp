#include "core/persistence/crc64.h"

#include <array>

namespace ringcache::persistence {
namespace {

// The Jones polynomial with its bits reversed: the reflected form shifts right, so the
// polynomial's low-order term sits in the top bit.
constexpr uint64_t jones_reflected = 0x95ac9329ac4bc9b5ULL;

constexpr std::array<uint64_t, 256> make_crc64_table() {
  std::array<uint64_t, 256> table{};
  for (uint64_t byte = 0; byte < 256; ++byte) {
    uint64_t crc = byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 1) ? (crc >> 1) ^ jones_reflected : crc >> 1;
    table[byte] = crc;
  }
  return table;
}

constexpr std::array<uint64_t, 256> crc64_table = make_crc64_table();

}  // namespace

uint64_t crc64_extend(uint64_t crc, std::string_view data) {
  for (const char c : data) {
    crc = crc64_table[(crc ^ static_cast<uint8_t>(c)) & 0xff] ^ (crc >> 8);
  }
  return crc;
}

}  // namespace ringcache::persistence
