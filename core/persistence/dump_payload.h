#pragma once
// DUMP's payload: one value in Redis 7.0's own serialisation, so redis-server can RESTORE what
// ringcache dumps. It is the RDB object type byte, the object in its RDB encoding, the RDB
// version (10) as two little-endian bytes and the CRC-64 of all that (crc64.h) as eight
// little-endian bytes (docs/dump-format.md).
//
// The encodings chosen are the ones Redis 7.0 writes itself: strings (and the blobs below) with
// their integer forms or LZF-compressed as Redis' rdbSaveRawString chooses, lists as quicklist 2 with listpack nodes, sets
// as an intset or a plain set, sorted sets and hashes as a listpack while small and plainly
// (ZSET_2, HASH) once converted; streams as STREAM_LISTPACKS_2.

#include <string>

#include "core/store/entry.h"

namespace ringcache::persistence {

std::string dump_payload(const store::Entry& entry);

}  // namespace ringcache::persistence
