#pragma once
// Internal to restore_payload.cpp: the readers of each collection type's RDB encodings. Each
// reads the object after the type byte from `in` and builds the value through the type's own
// insertion, so it takes the encoding the node's limits give it; nullptr when the payload is
// damaged, holds a duplicate, or describes an empty collection.

#include <cstdint>
#include <memory>

#include "core/persistence/rdb_input.h"
#include "core/store/collection.h"
#include "core/store/encoding_limits.h"
#include "core/util/rng.h"

namespace ringcache::persistence {

std::unique_ptr<store::Collection> read_list(rdb::Input& in, uint8_t type,
                                             const store::EncodingLimits& limits);
std::unique_ptr<store::Collection> read_set(rdb::Input& in, uint8_t type,
                                            const store::EncodingLimits& limits, Rng& rng);
std::unique_ptr<store::Collection> read_zset(rdb::Input& in, uint8_t type,
                                             const store::EncodingLimits& limits, Rng& rng);
std::unique_ptr<store::Collection> read_hash(rdb::Input& in, uint8_t type,
                                             const store::EncodingLimits& limits, Rng& rng);

}  // namespace ringcache::persistence
