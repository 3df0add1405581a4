#pragma once
// The longest common subsequence of two strings (LCS), by the classic dynamic-programming table,
// walked back the way Redis walks it so the string and the matched ranges are the ones Redis
// reports (t_string.c's lcsCommand). Pure: strings in, result out.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ringcache::commands::lcs {

// One matched run: a[a_first..a_last] equals b[b_first..b_last].
struct MatchRange {
  uint32_t a_first = 0;
  uint32_t a_last = 0;
  uint32_t b_first = 0;
  uint32_t b_last = 0;
  uint32_t length() const { return a_last - a_first + 1; }
};

struct Subsequence {
  uint32_t length = 0;
  std::string text;                  // the subsequence itself
  std::vector<MatchRange> matches;   // from the end of the strings backwards, as Redis lists them
};

// Bytes the table takes for strings of these sizes (refused by the caller beyond a limit).
uint64_t table_bytes(size_t a_size, size_t b_size);
Subsequence longest_common_subsequence(std::string_view a, std::string_view b);

}  // namespace ringcache::commands::lcs
