#include "core/server/config/config_values.h"

#include <fmt/format.h>

#include <limits>

#include "core/protocol/ascii.h"
#include "core/protocol/integer.h"

namespace ringcache::server {

Result<int64_t> parse_bounded_int(std::string_view text, int64_t low, int64_t high) {
  const std::optional<int64_t> parsed = protocol::parse_int64(text);
  if (!parsed) return Status(Errc::invalid_argument, "argument couldn't be parsed into an integer");
  const int64_t value = *parsed;
  if (value < low || value > high) {
    return Status(Errc::invalid_argument,
                  fmt::format("argument must be between {} and {} inclusive", low, high));
  }
  return value;
}

namespace {
// The multiplier of a memory unit suffix, or 0 for an unknown one.
int64_t unit_multiplier(std::string_view unit) {
  struct Unit { std::string_view name; int64_t multiplier; };
  static constexpr Unit units[] = {
      {"", 1},          {"b", 1},
      {"k", 1000},      {"kb", 1024},
      {"m", 1000000},   {"mb", 1024 * 1024},
      {"g", 1000000000}, {"gb", 1024LL * 1024 * 1024},
  };
  for (const auto& candidate : units) {
    if (protocol::iequals(candidate.name, unit)) return candidate.multiplier;
  }
  return 0;
}
}  // namespace

Result<int64_t> parse_memory(std::string_view text) {
  const Status bad(Errc::invalid_argument, "argument must be a memory value");
  size_t digits_end = 0;
  while (digits_end < text.size() && text[digits_end] >= '0' && text[digits_end] <= '9') {
    ++digits_end;
  }
  const std::string_view digits = text.substr(0, digits_end);
  // Leading zeros are harmless in memory values ("0100mb"); strip them for the strict reader.
  const size_t first_nonzero = digits.find_first_not_of('0');
  const std::string_view significant =
      first_nonzero == std::string_view::npos ? std::string_view("0") : digits.substr(first_nonzero);
  const std::optional<int64_t> parsed = protocol::parse_int64(significant);
  if (digits.empty() || !parsed) return bad;
  const int64_t number = *parsed;
  const int64_t multiplier = unit_multiplier(text.substr(digits_end));
  if (multiplier == 0) return bad;
  if (number > std::numeric_limits<int64_t>::max() / multiplier) return bad;
  return number * multiplier;
}

Result<bool> parse_yes_no(std::string_view text) {
  if (protocol::iequals(text, "yes")) return true;
  if (protocol::iequals(text, "no")) return false;
  return Status(Errc::invalid_argument, "argument must be 'yes' or 'no'");
}

Result<std::string> parse_choice(std::string_view text,
                                 std::initializer_list<const char*> choices) {
  for (const char* choice : choices) {
    if (protocol::iequals(text, choice)) return std::string(choice);
  }
  return Status(Errc::invalid_argument,
                fmt::format("argument(s) must be one of the following: {}",
                            fmt::join(choices, ", ")));
}

}  // namespace ringcache::server
