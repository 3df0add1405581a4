#pragma once
// The protocol's name for Redis' integer parsing (core/util/integer.h), where commands and config
// values read their integer arguments.

#include "core/util/integer.h"

namespace ringcache::protocol {

using ringcache::parse_int64;

}  // namespace ringcache::protocol
