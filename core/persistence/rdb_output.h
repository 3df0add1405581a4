#pragma once
// Appends RDB encodings to a payload: lengths, strings (integers in their short encodings, as
// Redis writes them), binary doubles and the DUMP footer.

#include <cstdint>
#include <string>
#include <string_view>

namespace ringcache::persistence::rdb {

void append_length(std::string& out, uint64_t length);
// A string: as an 8, 16 or 32-bit integer when its bytes are exactly such an integer's decimal
// form (Redis' rdbTryIntegerEncoding), else LZF-compressed when longer than 20 bytes and that
// saves at least 4, else its length and bytes (Redis' rdbSaveRawString).
void append_string(std::string& out, std::string_view value);
// A double as 8 little-endian bytes (RDB_TYPE_ZSET_2 scores).
void append_binary_double(std::string& out, double value);
// The DUMP footer: version 10 as two little-endian bytes, then the CRC-64 of everything before
// it (type byte, object, version) as eight little-endian bytes.
void append_dump_footer(std::string& out);

}  // namespace ringcache::persistence::rdb
