#pragma once
// Streams in DUMP payloads: RDB_TYPE_STREAM_LISTPACKS_2 (Redis 7.0), written and read, and
// RDB_TYPE_STREAM_LISTPACKS (Redis 5.0 to 6.2), read. The entries travel as Redis' stream
// nodes: a 16-byte master ID (milliseconds and sequence, big-endian) and a listpack holding a
// master entry (live count, deleted count, the master fields, 0) then each entry as flags,
// the ID's difference from the master ID, its values (SAMEFIELDS: fields as the master's) or
// its fields and values, and its element count. Then the length, the IDs and counters, and
// each consumer group with its pending entries and consumers.

#include <cstdint>
#include <memory>
#include <string>

#include "core/persistence/rdb_input.h"
#include "core/store/collection.h"
#include "core/store/encoding_limits.h"
#include "core/store/stream_value.h"

namespace ringcache::persistence {

// Appends the object after the type byte (RDB_TYPE_STREAM_LISTPACKS_2).
void dump_stream(std::string& out, const store::StreamValue& stream);
// Reads the object after the type byte (`type` 15 or 19); nullptr when damaged or inconsistent
// (entries out of order, a last ID below an entry, a pending entry without a consumer, ...).
std::unique_ptr<store::Collection> read_stream(rdb::Input& in, uint8_t type,
                                               const store::EncodingLimits& limits);

}  // namespace ringcache::persistence
