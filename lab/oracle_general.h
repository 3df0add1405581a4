#pragma once
// The libCacheSim oracleGeneral format: 24-byte little-endian records
//   uint32 timestamp, uint64 object id, uint32 object size, int64 next access (-1: none).
// The decoder takes bytes in any chunking (as a decompressor or a file reader hands them over)
// and feeds whole records to a TraceBuilder; the next-access field is recomputed by the builder.

#include <cstddef>
#include <cstdint>
#include <span>

#include "lab/trace.h"

namespace ringcache::lab {

inline constexpr size_t oracle_general_record_bytes = 24;

class OracleGeneralDecoder {
 public:
  explicit OracleGeneralDecoder(TraceBuilder& builder) : builder_(builder) {}
  void feed(std::span<const uint8_t> bytes);
  // Bytes of an unfinished record at the end (non-zero after the last feed: a truncated file).
  size_t pending() const { return pending_; }

 private:
  void record(const uint8_t* bytes);

  TraceBuilder& builder_;
  uint8_t partial_[oracle_general_record_bytes] = {};
  size_t pending_ = 0;
};

}  // namespace ringcache::lab
