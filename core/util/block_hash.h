#pragma once
// The frame SHA-1 and SHA-256 share (FIPS 180-4, 5.1.1 and 6): the message in 64-byte blocks,
// the last one padded with a 1 bit, zeros and the message length in bits (big-endian), each block
// folded into the state by the hash's own compression; the state words written as hex.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ringcache {

inline constexpr size_t hash_block_bytes = 64;

// `compress(state, block)` folds one 64-byte block into `state`.
template <size_t words, typename Compress>
std::string block_hash_hex(std::string_view data, std::array<uint32_t, words> state,
                           Compress compress) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  const size_t whole = data.size() - data.size() % hash_block_bytes;
  for (size_t offset = 0; offset < whole; offset += hash_block_bytes) {
    compress(state, bytes + offset);
  }
  std::array<unsigned char, 2 * hash_block_bytes> tail{};
  const size_t rest = data.size() - whole;
  for (size_t i = 0; i < rest; ++i) tail[i] = bytes[whole + i];
  tail[rest] = 0x80;
  const size_t tail_bytes = rest + 1 + 8 <= hash_block_bytes ? hash_block_bytes
                                                             : 2 * hash_block_bytes;
  const uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
  for (size_t i = 0; i < 8; ++i) {
    tail[tail_bytes - 1 - i] = static_cast<unsigned char>(bits >> (8 * i));
  }
  for (size_t offset = 0; offset < tail_bytes; offset += hash_block_bytes) {
    compress(state, tail.data() + offset);
  }
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(words * 8);
  for (const uint32_t word : state) {
    for (int shift = 28; shift >= 0; shift -= 4) hex.push_back(digits[(word >> shift) & 0xf]);
  }
  return hex;
}

}  // namespace ringcache
