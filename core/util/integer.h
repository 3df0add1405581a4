#pragma once
// Integers in text as Redis reads them, for command arguments, config values and the store's
// encodings alike.

#include <cstdint>
#include <optional>
#include <string_view>

namespace ringcache {

// Redis' string2ll: an optional '-', then digits without leading zeros (except "0" itself), no
// spaces, no '+', at most 20 characters, within int64.
std::optional<int64_t> parse_int64(std::string_view text);

}  // namespace ringcache
