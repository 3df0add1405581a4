#include "core/persistence/lzf.h"

#include <cstdint>

namespace ringcache::persistence {

std::optional<std::string> lzf_decompress(std::string_view compressed, size_t expected_bytes) {
  std::string out(expected_bytes, '\0');
  size_t in = 0;
  size_t at = 0;
  while (in < compressed.size()) {
    const uint8_t control = static_cast<uint8_t>(compressed[in++]);
    if (control < 32) {
      const size_t run = size_t{control} + 1;
      if (run > compressed.size() - in || run > expected_bytes - at) return std::nullopt;
      out.replace(at, run, compressed.substr(in, run));
      in += run;
      at += run;
      continue;
    }
    size_t length = control >> 5;
    if (length == 7) {
      if (in >= compressed.size()) return std::nullopt;
      length += static_cast<uint8_t>(compressed[in++]);
    }
    length += 2;
    if (in >= compressed.size()) return std::nullopt;
    const size_t back = ((size_t{control} & 0x1f) << 8) + static_cast<uint8_t>(compressed[in++]) + 1;
    if (back > at || length > expected_bytes - at) return std::nullopt;
    // Byte by byte: a match may overlap the bytes it is producing (a repeated pattern).
    for (size_t i = 0; i < length; ++i, ++at) out[at] = out[at - back];
  }
  if (at != expected_bytes) return std::nullopt;
  return out;
}

}  // namespace ringcache::persistence
