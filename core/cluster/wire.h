#pragma once
// Little-endian byte writer and bounds-checked reader for the cluster bus format
// (docs/cluster-bus.md). The reader never reads past its input: a short read fails with a message
// naming the field, and every later read fails too, so a decoder checks once at the end of a step.

#include <cstdint>
#include <string>
#include <string_view>

namespace ringcache::cluster::wire {

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  void u8(uint8_t value) { out_.push_back(static_cast<char>(value)); }
  void u16(uint16_t value) { put(value, 2); }
  void u32(uint32_t value) { put(value, 4); }
  void u64(uint64_t value) { put(value, 8); }
  void bytes(std::string_view value) { out_.append(value); }

 private:
  void put(uint64_t value, int count) {
    for (int i = 0; i < count; ++i) out_.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  }
  std::string& out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool u8(uint8_t& value, const char* field) {
    uint64_t wide = 0;
    if (!get(wide, 1, field)) return false;
    value = static_cast<uint8_t>(wide);
    return true;
  }
  bool u16(uint16_t& value, const char* field) {
    uint64_t wide = 0;
    if (!get(wide, 2, field)) return false;
    value = static_cast<uint16_t>(wide);
    return true;
  }
  bool u32(uint32_t& value, const char* field) {
    uint64_t wide = 0;
    if (!get(wide, 4, field)) return false;
    value = static_cast<uint32_t>(wide);
    return true;
  }
  bool u64(uint64_t& value, const char* field) { return get(value, 8, field); }
  bool bytes(std::string_view& value, size_t count, const char* field) {
    if (!check(count, field)) return false;
    value = in_.substr(at_, count);
    at_ += count;
    return true;
  }

  // Records a validation failure (the first one wins) so the decoder stops there.
  bool fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }
  const std::string& error() const { return error_; }
  size_t remaining() const { return in_.size() - at_; }

 private:
  bool check(size_t count, const char* field) {
    if (!error_.empty()) return false;
    if (count > remaining()) return fail(std::string("truncated in ") + field);
    return true;
  }
  bool get(uint64_t& value, int count, const char* field) {
    if (!check(static_cast<size_t>(count), field)) return false;
    value = 0;
    for (int i = 0; i < count; ++i) {
      value |= static_cast<uint64_t>(static_cast<uint8_t>(in_[at_ + i])) << (8 * i);
    }
    at_ += static_cast<size_t>(count);
    return true;
  }

  std::string_view in_;
  size_t at_ = 0;
  std::string error_;
};

// FNV-1a, 32 and 64 bits: the message checksum and the configuration digest. Any single changed
// byte changes the result (each step is a bijection of the state), which is what a datagram
// that already passed UDP's checksum needs.
inline uint32_t fnv1a32(std::string_view data) {
  uint32_t hash = 2166136261u;
  for (char c : data) hash = (hash ^ static_cast<uint8_t>(c)) * 16777619u;
  return hash;
}
inline uint64_t fnv1a64(std::string_view data) {
  uint64_t hash = 14695981039346656037ull;
  for (char c : data) hash = (hash ^ static_cast<uint8_t>(c)) * 1099511628211ull;
  return hash;
}

}  // namespace ringcache::cluster::wire
