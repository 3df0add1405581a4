#include "core/persistence/aof_record.h"

#include "core/constants.h"
#include "core/persistence/crc32c.h"
#include "core/protocol/resp_parser.h"
#include "core/util/assert.h"

namespace ringcache::persistence {
namespace {

void put_le32(char* out, uint32_t value) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

uint32_t get_le32(const char* in) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= uint32_t{static_cast<unsigned char>(in[i])} << (8 * i);
  return value;
}

uint32_t record_checksum(std::string_view length_bytes, std::string_view payload) {
  return crc32c_extend(crc32c(length_bytes), payload);
}

}  // namespace

void append_record(std::string& out, std::string_view payload) {
  RING_ASSERT_MSG(payload.size() <= constants::aof_record_bytes_max, "record too large");
  char header[record_header_bytes];
  put_le32(header, static_cast<uint32_t>(payload.size()));
  put_le32(header + 4, record_checksum(std::string_view(header, 4), payload));
  out.append(header, record_header_bytes).append(payload);
}

void append_record(std::string& out, std::span<const server::ArgvView> unit) {
  // The payload is built in place after a placeholder header, then the header is filled in.
  const size_t start = out.size();
  out.append(record_header_bytes, '\0');
  for (const server::ArgvView argv : unit) append_resp_command(out, argv);
  const size_t payload_bytes = out.size() - start - record_header_bytes;
  RING_ASSERT_MSG(payload_bytes <= constants::aof_record_bytes_max, "record too large");
  char* header = out.data() + start;
  put_le32(header, static_cast<uint32_t>(payload_bytes));
  const std::string_view payload(out.data() + start + record_header_bytes, payload_bytes);
  put_le32(header + 4, record_checksum(std::string_view(header, 4), payload));
}

RecordHeader decode_header(std::string_view bytes) {
  RING_ASSERT(bytes.size() >= record_header_bytes);
  return {get_le32(bytes.data()), get_le32(bytes.data() + 4)};
}

bool checksum_matches(const RecordHeader& header, std::string_view payload) {
  if (payload.size() != header.payload_bytes) return false;
  char length[4];
  put_le32(length, header.payload_bytes);
  return record_checksum(std::string_view(length, 4), payload) == header.checksum;
}

bool for_each_command(std::string_view payload,
                      const std::function<void(std::span<const std::string_view>)>& each) {
  protocol::ParserLimits limits;
  limits.bulk_bytes_max = constants::aof_record_bytes_max;
  protocol::RespParser parser(limits);
  size_t offset = 0;
  while (offset < payload.size()) {
    // Only arrays: an inline command in a record means the payload is not ours.
    if (payload[offset] != '*') return false;
    const auto outcome = parser.parse(payload.substr(offset));
    if (outcome != protocol::RespParser::Outcome::command || parser.argv().empty()) return false;
    offset += parser.consumed();
    each(parser.argv());
  }
  return true;
}

}  // namespace ringcache::persistence
