#pragma once
// RESTORE's reading of a DUMP payload (dump_payload.h): every encoding Redis 7.0 writes or still
// loads, checked throughout, since the payload comes from a client. A damaged payload is
// refused, never trusted: no read past its end, no allocation larger than its bytes could
// describe, no duplicate member or field, no empty collection but a stream (Redis refuses those
// too).

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/store/collection.h"
#include "core/store/encoding_limits.h"
#include "core/util/rng.h"

namespace ringcache::persistence {

// Whether the footer is right: at least the footer's ten bytes, an RDB version Redis 7.0 reads
// (<= 10) and the CRC-64 of everything before the checksum. RESTORE replies "DUMP payload
// version or checksum are wrong" otherwise.
bool dump_footer_valid(std::string_view payload);

// A restored value: a string, or a collection built with the node's encoding limits.
struct RestoredValue {
  store::ValueType type = store::ValueType::string;
  std::string string;
  std::unique_ptr<store::Collection> collection;
};

// The value of a payload whose footer is valid, or nullopt when it does not parse ("Bad data
// format"). `rng` seeds the hash tables of full encodings.
std::optional<RestoredValue> parse_dump_payload(std::string_view payload,
                                                const store::EncodingLimits& limits, Rng& rng);

}  // namespace ringcache::persistence
