#include "core/commands/lcs/common_subsequence.h"

#include <algorithm>

namespace ringcache::commands::lcs {
namespace {

// table[i][j] = LCS length of a[0..i) and b[0..j), stored row by row.
class Table {
 public:
  Table(std::string_view a, std::string_view b)
      : width_(b.size() + 1), cells_((a.size() + 1) * width_, 0) {
    for (size_t i = 1; i <= a.size(); ++i) {
      for (size_t j = 1; j <= b.size(); ++j) {
        at(i, j) = a[i - 1] == b[j - 1] ? at(i - 1, j - 1) + 1 : std::max(at(i - 1, j), at(i, j - 1));
      }
    }
  }
  uint32_t& at(size_t i, size_t j) { return cells_[i * width_ + j]; }

 private:
  size_t width_;
  std::vector<uint32_t> cells_;
};

}  // namespace

uint64_t table_bytes(size_t a_size, size_t b_size) {
  return (static_cast<uint64_t>(a_size) + 1) * (b_size + 1) * sizeof(uint32_t);
}

Subsequence longest_common_subsequence(std::string_view a, std::string_view b) {
  Table table(a, b);
  Subsequence out;
  out.length = table.at(a.size(), b.size());
  out.text.assign(out.length, '\0');
  const auto a_size = static_cast<uint32_t>(a.size());
  uint32_t left = out.length;  // where the next (earlier) matched byte goes in out.text
  bool open = false;           // a range is being extended backwards
  MatchRange range;
  auto i = a_size;
  auto j = static_cast<uint32_t>(b.size());
  while (i > 0 && j > 0) {
    bool emit = false;
    if (a[i - 1] == b[j - 1]) {
      out.text[--left] = a[i - 1];
      if (!open) {
        range = {i - 1, i - 1, j - 1, j - 1};
        open = true;
      } else if (range.a_first == i && range.b_first == j) {
        --range.a_first;
        --range.b_first;
      } else {
        emit = true;
      }
      if (range.a_first == 0 || range.b_first == 0) emit = true;
      --i;
      --j;
    } else {
      if (table.at(i - 1, j) > table.at(i, j - 1)) {
        --i;
      } else {
        --j;
      }
      emit = open;
    }
    if (emit) {
      out.matches.push_back(range);
      open = false;
    }
  }
  return out;
}

}  // namespace ringcache::commands::lcs
