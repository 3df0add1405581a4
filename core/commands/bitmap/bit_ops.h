#pragma once
// Pure operations on bitmaps (strings read as bit arrays, bit 0 the most significant bit of byte
// 0, as Redis numbers them): counting, searching, combining and fixed-width integer fields. No
// keyspace, no replies: bitmaps.cpp parses arguments and stores results.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ringcache::commands::bitmap {

// Reads bit `offset` (0 beyond the end of `bytes`).
bool get_bit(std::string_view bytes, uint64_t offset);
// Writes bit `offset` of `bytes`, which must be long enough.
void set_bit(std::string& bytes, uint64_t offset, bool on);

// An inclusive range of bits, already clipped to the string: empty when first > last.
struct BitRange {
  int64_t first = 0;
  int64_t last = -1;
  bool empty() const { return first > last; }
};

// BITCOUNT/BITPOS range arithmetic: `start`/`end` count bytes (or bits when `in_bits`), negative
// ones from the end, and are clipped to the string of `length` bytes. The result is in bits.
BitRange clip_range(int64_t start, int64_t end, uint64_t length, bool in_bits);

// Set bits of `bytes` inside `range`.
int64_t count_bits(std::string_view bytes, BitRange range);
// The first bit equal to `bit` inside `range`, or nullopt.
std::optional<int64_t> find_bit(std::string_view bytes, BitRange range, bool bit);

enum class BitOp { op_and, op_or, op_xor, op_not };
// BITOP over `sources` (absent keys are empty strings): as long as the longest source, shorter
// ones read as zero-padded.
std::string combine(BitOp op, const std::vector<std::string_view>& sources);

// --- BITFIELD's integers -----------------------------------------------------------------------

struct FieldType {
  bool is_signed = false;
  unsigned bits = 0;  // 1..64 signed, 1..63 unsigned
};
enum class Overflow { wrap, sat, fail };

// The field of `type` at bit `offset` (bits beyond the end read as 0).
int64_t get_field(std::string_view bytes, uint64_t offset, FieldType type);
// Writes the low type.bits bits of `value` at `offset`; `bytes` must be long enough.
void set_field(std::string& bytes, uint64_t offset, FieldType type, int64_t value);

// What a field becomes when `value` + `increment` (computed exactly) does not fit `type`: the
// wrapped or saturated result, or nullopt for FAIL. For a value that fits, the value itself.
// For unsigned SET, `value` is the argument read as unsigned 64 bits, as Redis does.
std::optional<int64_t> fit_field(__int128 value, __int128 increment, FieldType type,
                                 Overflow overflow);

}  // namespace ringcache::commands::bitmap
