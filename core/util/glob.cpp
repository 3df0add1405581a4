#include "core/util/glob.h"

#include <cstddef>
#include <utility>

namespace ringcache::util {

namespace {

// Redis compares plain `char`s, which are signed on the platforms we build for.
int byte_value(char c) { return static_cast<signed char>(c); }

int fold(int c, bool nocase) { return nocase && c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }

bool same(char a, char b, bool nocase) {
  return fold(byte_value(a), nocase) == fold(byte_value(b), nocase);
}

// Matches the bracket expression starting just after '[' at pattern[at] against `c`. Returns
// whether it matched and the index of its last pattern byte (the ']' or, when unclosed, the
// pattern's last byte), so the caller resumes one past it.
std::pair<bool, size_t> match_bracket(std::string_view pattern, size_t at, char c, bool nocase) {
  const bool negate = at < pattern.size() && pattern[at] == '^';
  if (negate) ++at;
  bool matched = false;
  for (;; ++at) {
    const size_t left = pattern.size() - at;
    if (left >= 2 && pattern[at] == '\\') {
      ++at;  // an escaped byte compares exactly, even when nocase
      if (pattern[at] == c) matched = true;
    } else if (left >= 1 && pattern[at] == ']') {
      break;
    } else if (left == 0) {
      --at;  // unclosed: the bracket ends with the pattern
      break;
    } else if (left >= 3 && pattern[at + 1] == '-') {
      int low = byte_value(pattern[at]);
      int high = byte_value(pattern[at + 2]);
      if (low > high) std::swap(low, high);
      const int value = fold(byte_value(c), nocase);
      if (value >= fold(low, nocase) && value <= fold(high, nocase)) matched = true;
      at += 2;
    } else if (same(pattern[at], c, nocase)) {
      matched = true;
    }
  }
  return {matched != negate, at};
}

// Matches one non-'*' token at pattern[at] against `c`; returns whether it matched and the
// index just past the token.
std::pair<bool, size_t> match_token(std::string_view pattern, size_t at, char c, bool nocase) {
  switch (pattern[at]) {
    case '?':
      return {true, at + 1};
    case '[': {
      auto [matched, last] = match_bracket(pattern, at + 1, c, nocase);
      return {matched, last + 1};
    }
    case '\\':
      if (pattern.size() - at >= 2) ++at;
      [[fallthrough]];
    default:
      return {same(pattern[at], c, nocase), at + 1};
  }
}

}  // namespace

// Every token but '*' consumes exactly one byte, so backtracking to the most recent '*' only
// is enough (and keeps the work linear in pattern x subject, with no recursion).
bool glob_match(std::string_view pattern, std::string_view subject, bool nocase) {
  // Redis' loop never runs on an empty subject: only an empty pattern matches it.
  if (subject.empty()) return pattern.empty();
  size_t p = 0;
  size_t s = 0;
  size_t star = std::string_view::npos;  // pattern index just past the last '*' seen
  size_t star_subject = 0;               // subject index that '*' was last tried to end at
  while (s < subject.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      while (p < pattern.size() && pattern[p] == '*') ++p;
      star = p;
      star_subject = s;
      continue;
    }
    if (p < pattern.size()) {
      auto [matched, next] = match_token(pattern, p, subject[s], nocase);
      if (matched) {
        p = next;
        ++s;
        continue;
      }
    }
    if (star == std::string_view::npos) return false;
    p = star;
    s = ++star_subject;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace ringcache::util
