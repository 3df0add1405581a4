#pragma once
// Key -> hash slot, exactly as Redis Cluster computes it, so every cluster client routes a key to
// the same slot we do: CRC16 of the key (or of its hash tag) modulo the 16384 slots.

#include <cstdint>
#include <string_view>

#include "core/constants.h"

namespace ringcache::cluster {

using Slot = uint16_t;

// CRC16-CCITT in its XMODEM form: polynomial 0x1021, initial value 0, bits not reflected, no
// final xor (the form Redis Cluster specifies; crc16_xmodem("123456789") == 0x31c3).
uint16_t crc16_xmodem(std::string_view bytes);

// The bytes of `key` that decide its slot: between the first '{' and the first '}' after it when
// that is non-empty, else the whole key. Keys sharing a tag share a slot (multi-key commands).
std::string_view hash_tag(std::string_view key);

// The key's slot, in [0, cluster_slots).
Slot key_slot(std::string_view key);

}  // namespace ringcache::cluster
