#include "core/persistence/lzf.h"

#include <algorithm>
#include <cstdint>
#include <vector>

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

namespace {

constexpr size_t lzf_literal_run_max = 32;
constexpr size_t lzf_match_min = 3;
constexpr size_t lzf_match_max = 7 + 255 + 2;
constexpr size_t lzf_distance_max = 8192;
constexpr int lzf_hash_bits = 14;

uint32_t lzf_hash(const char* at) {
  const uint32_t v = static_cast<uint8_t>(at[0]) << 16 | static_cast<uint8_t>(at[1]) << 8 |
                     static_cast<uint8_t>(at[2]);
  return (v * 2654435761u) >> (32 - lzf_hash_bits);
}

void lzf_put_literals(std::string& out, std::string_view literals) {
  while (!literals.empty()) {
    const size_t run = std::min(literals.size(), lzf_literal_run_max);
    out.push_back(static_cast<char>(run - 1));
    out.append(literals.substr(0, run));
    literals.remove_prefix(run);
  }
}

void lzf_put_match(std::string& out, size_t distance, size_t length) {
  const size_t back = distance - 1;
  const size_t encoded = length - 2;
  if (encoded < 7) {
    out.push_back(static_cast<char>(encoded << 5 | back >> 8));
  } else {
    out.push_back(static_cast<char>(7 << 5 | back >> 8));
    out.push_back(static_cast<char>(encoded - 7));
  }
  out.push_back(static_cast<char>(back & 0xff));
}

}  // namespace

std::optional<std::string> lzf_compress(std::string_view data, size_t max_bytes) {
  std::vector<int64_t> last(size_t{1} << lzf_hash_bits, -1);
  std::string out;
  size_t literal_start = 0;
  size_t at = 0;
  while (at + lzf_match_min <= data.size() && out.size() <= max_bytes) {
    const uint32_t slot = lzf_hash(data.data() + at);
    const int64_t candidate = last[slot];
    last[slot] = static_cast<int64_t>(at);
    if (candidate < 0 || at - static_cast<size_t>(candidate) > lzf_distance_max ||
        data.compare(static_cast<size_t>(candidate), lzf_match_min, data, at, lzf_match_min) != 0) {
      ++at;
      continue;
    }
    const size_t from = static_cast<size_t>(candidate);
    size_t length = lzf_match_min;
    while (at + length < data.size() && length < lzf_match_max &&
           data[from + length] == data[at + length]) {
      ++length;
    }
    lzf_put_literals(out, data.substr(literal_start, at - literal_start));
    lzf_put_match(out, at - from, length);
    at += length;
    literal_start = at;
  }
  lzf_put_literals(out, data.substr(literal_start));
  if (out.size() > max_bytes) return std::nullopt;
  return out;
}

}  // namespace ringcache::persistence
