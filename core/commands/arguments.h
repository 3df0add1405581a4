#pragma once
// Argument parsing shared by every command family, with Redis 7.0's rules and error words, so a
// number or option is read the same way (and refused with the same message) everywhere.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/commands/command.h"
#include "core/protocol/integer.h"
#include "core/store/entry.h"

namespace ringcache::commands {

// Error replies (without the leading '-') shared by several families.
namespace errors {
inline constexpr std::string_view syntax = "ERR syntax error";
inline constexpr std::string_view not_integer = "ERR value is not an integer or out of range";
inline constexpr std::string_view not_float = "ERR value is not a valid float";
inline constexpr std::string_view wrong_type =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr std::string_view overflow = "ERR increment or decrement would overflow";
inline constexpr std::string_view no_such_key = "ERR no such key";
inline constexpr std::string_view string_too_long =
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
inline constexpr std::string_view invalid_cursor = "ERR invalid cursor";
// A count that must be within +-INT64_MAX (HRANDFIELD, SRANDMEMBER, ZRANDMEMBER).
inline constexpr std::string_view count_out_of_range =
    "ERR value is out of range, value must between -9223372036854775807 and "
    "9223372036854775807";
// "ERR invalid expire time in 'set' command": the command's full name goes in the middle.
std::string invalid_expire_time(std::string_view command_name);
// "ERR wrong number of arguments for 'hset' command": the arity error, for commands that check
// pairing themselves (MSET, HSET).
std::string wrong_arguments(std::string_view command_name);
}  // namespace errors

using protocol::parse_int64;  // Redis' string2ll (core/protocol/integer.h)
// Redis' string2ld: strtold over the whole text (hex and "inf" included, embedded NULs not), no
// leading space, no NaN, no overflow to infinity or underflow to zero.
std::optional<long double> parse_long_double(std::string_view text);
// A SCAN cursor as Redis reads it (strtoul, base 10): '+'/'-' and leading zeros are accepted and
// "-1" wraps around; "" is 0; anything else after the digits, or a leading space, is refused.
std::optional<uint64_t> parse_cursor(std::string_view text);

// The same parsers, replying with Redis' error and returning nullopt on bad input.
std::optional<int64_t> int64_or_reply(CommandContext& ctx, std::string_view text);
std::optional<long double> long_double_or_reply(CommandContext& ctx, std::string_view text);

// Redis' textual forms of numbers.
std::string format_int64(int64_t value);
// INCRBYFLOAT's "human" form: %.17Lf with trailing zeros (and a bare point) trimmed, "-0" as
// "0". Plain decimal, never an exponent: 1e20 prints as 100000000000000000000.
std::string format_long_double_human(long double value);

// Replies WRONGTYPE and returns true when `entry` exists and does not hold `type`.
bool reject_wrong_type(CommandContext& ctx, const store::Entry* entry,
                       store::ValueType type = store::ValueType::string);

// ASCII case-insensitive comparison for option names.
bool option_is(std::string_view arg, std::string_view option);

// a + b, or nullopt when the sum leaves int64 (expiry arithmetic).
std::optional<int64_t> checked_add(int64_t a, int64_t b);

}  // namespace ringcache::commands
