#pragma once
// AOF records (docs/aof-format.md): an 8-byte header — the payload's length and a CRC-32C over
// the length bytes and the payload, both little-endian u32 — then the payload: one or more
// commands as RESP arrays of bulk strings. A record is one unit of change (a command, or a
// MULTI ... EXEC block), so a torn record loses a whole unit, never half of one.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "core/protocol/resp_command.h"
#include "core/server/propagation_sink.h"

namespace ringcache::persistence {

inline constexpr size_t record_header_bytes = 8;

// Appends one command as a RESP array of bulk strings.
using protocol::append_resp_command;
// Appends a record whose payload is `payload` (RESP commands).
void append_record(std::string& out, std::string_view payload);
// Appends a record holding the commands of `unit`.
void append_record(std::string& out, std::span<const server::ArgvView> unit);

struct RecordHeader {
  uint32_t payload_bytes = 0;
  uint32_t checksum = 0;
};
// Reads the header at the front of `bytes` (at least record_header_bytes long).
RecordHeader decode_header(std::string_view bytes);
// Whether `payload` is what `header` describes.
bool checksum_matches(const RecordHeader& header, std::string_view payload);

// Calls `each` with every command of a record's payload, in order. False when the payload is not
// a sequence of well-formed RESP arrays (a record that passed its checksum but holds garbage).
bool for_each_command(std::string_view payload,
                      const std::function<void(std::span<const std::string_view>)>& each);

}  // namespace ringcache::persistence
