#include "core/persistence/rdb_input.h"

#include <fmt/format.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <limits>

#include "core/constants.h"
#include "core/persistence/lzf.h"
#include "core/persistence/rdb_format.h"

namespace ringcache::persistence::rdb {

std::optional<uint8_t> Input::byte() {
  if (remaining() < 1) return std::nullopt;
  return static_cast<uint8_t>(bytes_[at_++]);
}

std::optional<std::string_view> Input::raw(size_t count) {
  if (count > remaining()) return std::nullopt;
  const std::string_view out = bytes_.substr(at_, count);
  at_ += count;
  return out;
}

std::optional<uint64_t> Input::little_endian(size_t count) {
  const std::optional<std::string_view> bytes = raw(count);
  if (!bytes || count > 8) return std::nullopt;
  uint64_t value = 0;
  for (size_t i = count; i-- > 0;) value = (value << 8) | static_cast<uint8_t>((*bytes)[i]);
  return value;
}

std::optional<Input::LengthOrEncoding> Input::length_or_encoding() {
  const std::optional<uint8_t> first = byte();
  if (!first) return std::nullopt;
  const uint8_t kind = *first >> 6;
  if (kind == len_6bit) return LengthOrEncoding{uint64_t{*first} & 0x3f, false};
  if (kind == len_14bit) {
    const std::optional<uint8_t> low = byte();
    if (!low) return std::nullopt;
    return LengthOrEncoding{((uint64_t{*first} & 0x3f) << 8) | *low, false};
  }
  if (kind == len_encoded) return LengthOrEncoding{uint64_t{*first} & 0x3f, true};
  if (*first != len_32bit && *first != len_64bit) return std::nullopt;
  const std::optional<std::string_view> bytes = raw(*first == len_32bit ? 4 : 8);
  if (!bytes) return std::nullopt;
  uint64_t value = 0;
  for (const char c : *bytes) value = (value << 8) | static_cast<uint8_t>(c);
  return LengthOrEncoding{value, false};
}

std::optional<uint64_t> Input::length() {
  const std::optional<LengthOrEncoding> read = length_or_encoding();
  if (!read || read->encoded) return std::nullopt;
  return read->value;
}

std::optional<std::string> Input::lzf_string() {
  const std::optional<uint64_t> compressed_bytes = length();
  const std::optional<uint64_t> expanded_bytes = length();
  if (!compressed_bytes || !expanded_bytes || *compressed_bytes > remaining()) return std::nullopt;
  // What a valid stream of this many bytes can expand to at most: refuses a small payload that
  // claims a huge string before anything is allocated.
  if (*expanded_bytes > *compressed_bytes * constants::lzf_expansion_max ||
      *expanded_bytes > constants::dump_string_bytes_max) {
    return std::nullopt;
  }
  return lzf_decompress(*raw(*compressed_bytes), *expanded_bytes);
}

std::optional<std::string> Input::string() {
  const std::optional<LengthOrEncoding> read = length_or_encoding();
  if (!read) return std::nullopt;
  if (!read->encoded) {
    const std::optional<std::string_view> bytes = raw(read->value);
    if (!bytes) return std::nullopt;
    return std::string(*bytes);
  }
  if (read->value == enc_lzf) return lzf_string();
  if (read->value > enc_int32) return std::nullopt;
  const size_t width = size_t{1} << read->value;  // 1, 2 or 4 bytes
  const std::optional<uint64_t> bits = little_endian(width);
  if (!bits) return std::nullopt;
  // Sign-extend from the encoded width.
  const int shift = static_cast<int>(64 - 8 * width);
  const int64_t value = static_cast<int64_t>(*bits << shift) >> shift;
  return fmt::format("{}", value);
}

std::optional<double> Input::binary_double() {
  const std::optional<uint64_t> bits = little_endian(8);
  if (!bits) return std::nullopt;
  return std::bit_cast<double>(*bits);
}

std::optional<double> Input::text_double() {
  const std::optional<uint8_t> size = byte();
  if (!size) return std::nullopt;
  if (*size == 253) return std::numeric_limits<double>::quiet_NaN();
  if (*size == 254) return std::numeric_limits<double>::infinity();
  if (*size == 255) return -std::numeric_limits<double>::infinity();
  const std::optional<std::string_view> text = raw(*size);
  if (!text) return std::nullopt;
  double value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return value;
}

}  // namespace ringcache::persistence::rdb
