#pragma once
// Hexadecimal digits, as the protocol's escapes and URLs write them.

namespace ringcache {

// The value of one hex digit of either case; -1 for any other character.
constexpr int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace ringcache
