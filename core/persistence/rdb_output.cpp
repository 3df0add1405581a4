#include "core/persistence/rdb_output.h"

#include <bit>
#include <cstring>
#include <optional>

#include "core/persistence/crc64.h"
#include "core/persistence/lzf.h"
#include "core/persistence/rdb_format.h"
#include "core/util/integer.h"

namespace ringcache::persistence::rdb {
namespace {

void append_little_endian(std::string& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

void append_big_endian(std::string& out, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

// The short form of an integer string, if Redis would use one: only values that fit 32 bits
// have one, and only strings that read back to the same bytes (no "+1", "01", " 1").
bool append_integer_string(std::string& out, std::string_view value) {
  // An int64 has at most 20 characters; Redis only tries strings of 11 or fewer (int32's).
  if (value.size() > 11) return false;
  const std::optional<int64_t> number = parse_int64(value);
  if (!number) return false;
  const int64_t v = *number;
  const uint8_t tag = len_encoded << 6;
  if (v >= INT8_MIN && v <= INT8_MAX) {
    out.push_back(static_cast<char>(tag | enc_int8));
    append_little_endian(out, static_cast<uint64_t>(v), 1);
  } else if (v >= INT16_MIN && v <= INT16_MAX) {
    out.push_back(static_cast<char>(tag | enc_int16));
    append_little_endian(out, static_cast<uint64_t>(v), 2);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    out.push_back(static_cast<char>(tag | enc_int32));
    append_little_endian(out, static_cast<uint64_t>(v), 4);
  } else {
    return false;
  }
  return true;
}

}  // namespace

void append_length(std::string& out, uint64_t length) {
  if (length < (1u << 6)) {
    out.push_back(static_cast<char>((len_6bit << 6) | length));
  } else if (length < (1u << 14)) {
    out.push_back(static_cast<char>((len_14bit << 6) | (length >> 8)));
    out.push_back(static_cast<char>(length & 0xff));
  } else if (length <= UINT32_MAX) {
    out.push_back(static_cast<char>(len_32bit));
    append_big_endian(out, length, 4);
  } else {
    out.push_back(static_cast<char>(len_64bit));
    append_big_endian(out, length, 8);
  }
}

namespace {

// Redis' choice: strings longer than 20 bytes go LZF-compressed when that saves at least 4.
bool append_compressed_string(std::string& out, std::string_view value) {
  if (value.size() <= 20) return false;
  const std::optional<std::string> compressed = lzf_compress(value, value.size() - 4);
  if (!compressed) return false;
  out.push_back(static_cast<char>(len_encoded << 6 | enc_lzf));
  append_length(out, compressed->size());
  append_length(out, value.size());
  out.append(*compressed);
  return true;
}

}  // namespace

void append_string(std::string& out, std::string_view value) {
  if (append_integer_string(out, value)) return;
  if (append_compressed_string(out, value)) return;
  append_length(out, value.size());
  out.append(value);
}

void append_binary_double(std::string& out, double value) {
  append_little_endian(out, std::bit_cast<uint64_t>(value), 8);
}

void append_dump_footer(std::string& out) {
  append_little_endian(out, version, 2);
  append_little_endian(out, crc64(out), 8);
}

}  // namespace ringcache::persistence::rdb
