// oracleGeneral records: little-endian field reads and carrying a record across chunks.

#include "lab/oracle_general.h"

#include <algorithm>

namespace ringcache::lab {

namespace {
uint64_t little_endian(const uint8_t* bytes, int count) {
  uint64_t value = 0;
  for (int i = count - 1; i >= 0; --i) value = (value << 8) | bytes[i];
  return value;
}
}  // namespace

void OracleGeneralDecoder::record(const uint8_t* bytes) {
  const uint64_t id = little_endian(bytes + 4, 8);
  const auto size = static_cast<uint32_t>(little_endian(bytes + 12, 4));
  builder_.add(id, size);
}

void OracleGeneralDecoder::feed(std::span<const uint8_t> bytes) {
  size_t at = 0;
  if (pending_ > 0) {
    const size_t take = std::min(oracle_general_record_bytes - pending_, bytes.size());
    std::copy_n(bytes.data(), take, partial_ + pending_);
    pending_ += take;
    at = take;
    if (pending_ < oracle_general_record_bytes) return;
    record(partial_);
    pending_ = 0;
  }
  for (; at + oracle_general_record_bytes <= bytes.size(); at += oracle_general_record_bytes) {
    record(bytes.data() + at);
  }
  pending_ = bytes.size() - at;
  std::copy_n(bytes.data() + at, pending_, partial_);
}

}  // namespace ringcache::lab
