#pragma once
// Reads RDB encodings from a payload that may be damaged or hostile. Every read checks what it
// needs against the bytes left before allocating anything, so a length field cannot make it
// allocate more than the payload could hold (compressed strings: at most what LZF can expand
// that many bytes to). A failed read returns nullopt; the caller gives up on the payload.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ringcache::persistence::rdb {

class Input {
 public:
  explicit Input(std::string_view bytes) : bytes_(bytes) {}

  size_t remaining() const { return bytes_.size() - at_; }
  std::optional<uint8_t> byte();
  // `count` bytes as they are.
  std::optional<std::string_view> raw(size_t count);
  // An unsigned integer of `count` (<= 8) little-endian bytes.
  std::optional<uint64_t> little_endian(size_t count);
  // A length (6, 14, 32 or 64 bits); a special string encoding here is damage.
  std::optional<uint64_t> length();
  // A string in any of its encodings: plain, 8/16/32-bit integer (as its decimal text), LZF.
  std::optional<std::string> string();
  // A double as 8 little-endian bytes (RDB_TYPE_ZSET_2).
  std::optional<double> binary_double();
  // A double as text with a one-byte length, 253/254/255 meaning nan/+inf/-inf (RDB_TYPE_ZSET).
  std::optional<double> text_double();

 private:
  // The first byte of a length or string: its value, and whether it tags a special encoding
  // (then the value is that encoding).
  struct LengthOrEncoding {
    uint64_t value;
    bool encoded;
  };
  std::optional<LengthOrEncoding> length_or_encoding();
  std::optional<std::string> lzf_string();

  std::string_view bytes_;
  size_t at_ = 0;
};

}  // namespace ringcache::persistence::rdb
