#pragma once
// ASCII case folding for command names, subcommands and options, which the protocol treats
// case-insensitively. Locale-free on purpose: the C locale functions are slower and can vary.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ringcache::protocol {

constexpr char to_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
constexpr char to_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; }

constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

inline void lower_in_place(std::string& text) {
  for (char& c : text) c = to_lower(c);
}
inline std::string lowered(std::string_view text) {
  std::string out(text);
  lower_in_place(out);
  return out;
}
inline std::string uppered(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = to_upper(c);
  return out;
}

// Orders strings ignoring ASCII case; transparent, so maps keyed by it take string_view lookups
// without allocating.
struct CaseInsensitiveLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const {
    return std::lexicographical_compare(
        a.begin(), a.end(), b.begin(), b.end(),
        [](char x, char y) { return to_lower(x) < to_lower(y); });
  }
};

// Hashing and equality ignoring ASCII case, for hash maps keyed by names looked up once per
// command (the command table); transparent, so string_view lookups do not allocate.
struct CaseInsensitiveHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const {
    uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a: names are short, so byte-wise is enough
    for (char c : text) h = (h ^ static_cast<unsigned char>(to_lower(c))) * 0x100000001b3ULL;
    return static_cast<size_t>(h);
  }
};
struct CaseInsensitiveEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return iequals(a, b); }
};

}  // namespace ringcache::protocol
