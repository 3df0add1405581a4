#pragma once
// A stream entry ID: milliseconds and a sequence number, both 64-bit unsigned, ordered as a pair
// ("1526919030474-55"). The text forms Redis accepts for them are parsed here so every stream
// command reads IDs the same way.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ringcache::store {

struct StreamId {
  uint64_t ms = 0;
  uint64_t seq = 0;

  auto operator<=>(const StreamId&) const = default;
  bool is_zero() const { return ms == 0 && seq == 0; }
  static constexpr StreamId min() { return {0, 0}; }
  static constexpr StreamId max() { return {UINT64_MAX, UINT64_MAX}; }

  // The next ID (seq + 1, carrying into ms); nullopt past max().
  std::optional<StreamId> next() const;
  // The previous ID; nullopt before min().
  std::optional<StreamId> previous() const;
  // "ms-seq".
  std::string to_string() const;
};

// How an ID argument was written.
struct ParsedStreamId {
  StreamId id;
  bool seq_given = true;  // false for "ms-*" (XADD picks the sequence)
};

// Redis' rules for an ID argument: "ms-seq", or "ms" alone (the sequence is `missing_seq`), each
// part an unsigned 64-bit decimal; "-" and "+" are min() and max() unless `strict`; "ms-*" only
// when `allow_star_seq`. nullopt for anything else (longer than 127 bytes included).
std::optional<ParsedStreamId> parse_stream_id(std::string_view text, uint64_t missing_seq,
                                              bool strict, bool allow_star_seq = false);

}  // namespace ringcache::store
