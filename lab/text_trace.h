#pragma once
// Text traces, fed in chunks of bytes: a plain file of keys (one per line), CSV with a column
// mapping, and Twitter's cache-trace CSV (timestamp, key, key size, value size, client id,
// operation, TTL; an object's size is key size + value size). Lines that do not parse are counted
// and skipped. Keys are text, numbered through key_fingerprint.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "lab/trace.h"

namespace ringcache::lab {

enum class TextFormat { plain, csv, twitter };

// Zero-based columns; -1: absent. The time column is read past (requests are replayed in file
// order); an op column of "delete"/"del" removes the key.
struct CsvColumns {
  int time = -1;
  int key = 0;
  int size = -1;
  int op = -1;
  bool header = false;  // skip the first line
  char delimiter = ',';
};

// "time=1,key=2,size=3,op=4" (one-based, as a person counts columns) -> CsvColumns; false on a
// malformed mapping.
bool parse_csv_columns(std::string_view spec, CsvColumns& columns);

class TextTraceDecoder {
 public:
  TextTraceDecoder(TraceBuilder& builder, TextFormat format, CsvColumns columns = {});
  void feed(std::span<const uint8_t> bytes);
  // Handles a last line without a newline.
  void finish();
  uint64_t lines() const { return lines_; }
  uint64_t skipped() const { return skipped_; }

 private:
  void line(std::string_view text);
  bool csv_line(std::string_view text);
  bool twitter_line(std::string_view text);

  TraceBuilder& builder_;
  TextFormat format_;
  CsvColumns columns_;
  std::string partial_;
  uint64_t lines_ = 0;
  uint64_t skipped_ = 0;
};

}  // namespace ringcache::lab
