#include "core/commands/bitmap/bit_ops.h"

#include <algorithm>
#include <bit>

#include "core/util/assert.h"

namespace ringcache::commands::bitmap {

bool get_bit(std::string_view bytes, uint64_t offset) {
  const uint64_t byte = offset >> 3;
  if (byte >= bytes.size()) return false;
  return (static_cast<uint8_t>(bytes[byte]) >> (7 - (offset & 7))) & 1;
}

void set_bit(std::string& bytes, uint64_t offset, bool on) {
  const uint64_t byte = offset >> 3;
  RING_ASSERT(byte < bytes.size());
  const auto mask = static_cast<uint8_t>(1u << (7 - (offset & 7)));
  auto value = static_cast<uint8_t>(bytes[byte]);
  value = on ? (value | mask) : (value & ~mask);
  bytes[byte] = static_cast<char>(value);
}

BitRange clip_range(int64_t start, int64_t end, uint64_t length, bool in_bits) {
  const auto total = static_cast<int64_t>(in_bits ? length * 8 : length);
  if (start < 0) start = std::max<int64_t>(total + start, 0);
  if (end < 0) end = std::max<int64_t>(total + end, 0);
  end = std::min(end, total - 1);
  if (start > end) return {};
  if (in_bits) return {start, end};
  return {start * 8, end * 8 + 7};
}

int64_t count_bits(std::string_view bytes, BitRange range) {
  if (range.empty()) return 0;
  int64_t count = 0;
  int64_t bit = range.first;
  // Whole bytes with popcount; the partial bytes at either edge bit by bit.
  for (; bit <= range.last && (bit & 7) != 0; ++bit) count += get_bit(bytes, bit);
  for (; bit + 7 <= range.last; bit += 8) {
    count += std::popcount(static_cast<uint8_t>(bytes[static_cast<size_t>(bit >> 3)]));
  }
  for (; bit <= range.last; ++bit) count += get_bit(bytes, bit);
  return count;
}

std::optional<int64_t> find_bit(std::string_view bytes, BitRange range, bool bit) {
  const uint8_t skip = bit ? 0x00 : 0xff;  // a byte that cannot hold the bit looked for
  int64_t at = range.first;
  while (at <= range.last) {
    if ((at & 7) == 0 && at + 7 <= range.last &&
        static_cast<uint8_t>(bytes[static_cast<size_t>(at >> 3)]) == skip) {
      at += 8;
      continue;
    }
    if (get_bit(bytes, at) == bit) return at;
    ++at;
  }
  return std::nullopt;
}

std::string combine(BitOp op, const std::vector<std::string_view>& sources) {
  RING_ASSERT(!sources.empty());
  size_t longest = 0;
  for (const auto source : sources) longest = std::max(longest, source.size());
  std::string out(longest, '\0');
  auto byte_at = [](std::string_view s, size_t i) -> uint8_t {
    return i < s.size() ? static_cast<uint8_t>(s[i]) : 0;
  };
  for (size_t i = 0; i < longest; ++i) {
    uint8_t value = byte_at(sources[0], i);
    if (op == BitOp::op_not) value = static_cast<uint8_t>(~value);
    for (size_t j = 1; j < sources.size(); ++j) {
      const uint8_t other = byte_at(sources[j], i);
      if (op == BitOp::op_and) value &= other;
      if (op == BitOp::op_or) value |= other;
      if (op == BitOp::op_xor) value ^= other;
    }
    out[i] = static_cast<char>(value);
  }
  return out;
}

int64_t get_field(std::string_view bytes, uint64_t offset, FieldType type) {
  uint64_t value = 0;
  for (unsigned i = 0; i < type.bits; ++i) value = (value << 1) | get_bit(bytes, offset + i);
  if (type.is_signed && type.bits < 64 && (value >> (type.bits - 1)) != 0) {
    value |= ~uint64_t{0} << type.bits;  // sign extension
  }
  return static_cast<int64_t>(value);
}

void set_field(std::string& bytes, uint64_t offset, FieldType type, int64_t value) {
  const auto bits = static_cast<uint64_t>(value);
  for (unsigned i = 0; i < type.bits; ++i) {
    set_bit(bytes, offset + i, (bits >> (type.bits - 1 - i)) & 1);
  }
}

std::optional<int64_t> fit_field(__int128 value, __int128 increment, FieldType type,
                                 Overflow overflow) {
  RING_ASSERT(type.bits >= 1 && type.bits <= 64);
  const __int128 span = static_cast<__int128>(1) << type.bits;
  const __int128 min = type.is_signed ? -(span / 2) : 0;
  const __int128 max = type.is_signed ? span / 2 - 1 : span - 1;
  const __int128 result = value + increment;
  if (result >= min && result <= max) return static_cast<int64_t>(result);
  if (overflow == Overflow::fail) return std::nullopt;
  if (overflow == Overflow::sat) return static_cast<int64_t>(result > max ? max : min);
  // Wrap: keep the low bits, then read them back with the field's sign.
  __int128 wrapped = result % span;
  if (wrapped < 0) wrapped += span;
  if (type.is_signed && wrapped > max) wrapped -= span;
  return static_cast<int64_t>(wrapped);
}

}  // namespace ringcache::commands::bitmap
