#include "core/cluster/key_slot.h"

#include <array>

namespace ringcache::cluster {
namespace {

static_assert((constants::cluster_slots & (constants::cluster_slots - 1)) == 0,
              "a key's slot is its CRC's low bits");

// One step of the bitwise CRC for each byte value, computed at compile time: the table form
// processes a byte per lookup.
constexpr std::array<uint16_t, 256> make_crc16_table() {
  constexpr uint16_t polynomial = 0x1021;
  std::array<uint16_t, 256> table{};
  for (unsigned byte = 0; byte < 256; ++byte) {
    auto crc = static_cast<uint16_t>(byte << 8);
    for (int bit = 0; bit < 8; ++bit) {
      const bool top = (crc & 0x8000) != 0;
      crc = static_cast<uint16_t>(crc << 1);
      if (top) crc ^= polynomial;
    }
    table[byte] = crc;
  }
  return table;
}

constexpr std::array<uint16_t, 256> crc16_table = make_crc16_table();

}  // namespace

uint16_t crc16_xmodem(std::string_view bytes) {
  uint16_t crc = 0;
  for (const char c : bytes) {
    const auto byte = static_cast<uint8_t>(c);
    crc = static_cast<uint16_t>((crc << 8) ^ crc16_table[((crc >> 8) ^ byte) & 0xff]);
  }
  return crc;
}

std::string_view hash_tag(std::string_view key) {
  const size_t open = key.find('{');
  if (open == std::string_view::npos) return key;
  const size_t close = key.find('}', open + 1);
  if (close == std::string_view::npos || close == open + 1) return key;
  return key.substr(open + 1, close - open - 1);
}

Slot key_slot(std::string_view key) {
  return static_cast<Slot>(crc16_xmodem(hash_tag(key)) & (constants::cluster_slots - 1));
}

}  // namespace ringcache::cluster
