#pragma once
// Parsing of configuration values as redis.conf and CONFIG SET read them. Errors are the bare
// reason in Redis' words ("argument couldn't be parsed into an integer"); callers add the option.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/util/status.h"

namespace ringcache::server {

// An integer (read as Redis' string2ll reads it) within [low, high].
Result<int64_t> parse_bounded_int(std::string_view text, int64_t low, int64_t high);
// A memory amount: digits with an optional unit, case-insensitive: b, k (1000), kb (1024),
// m, mb, g, gb.
Result<int64_t> parse_memory(std::string_view text);
Result<bool> parse_yes_no(std::string_view text);
// One of `choices` (case-insensitive); returns it as spelled in `choices`.
Result<std::string> parse_choice(std::string_view text, std::initializer_list<const char*> choices);

}  // namespace ringcache::server
