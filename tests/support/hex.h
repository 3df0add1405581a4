#pragma once
// Bytes written as hexadecimal in a test (payloads captured from redis-server, say).

#include <string>
#include <string_view>

namespace ringcache::testing {

// "0a0b" -> "\x0a\x0b"; `hex` must hold pairs of hexadecimal digits.
inline std::string from_hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

}  // namespace ringcache::testing
