#include "core/commands/arguments.h"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/constants.h"
#include "core/protocol/ascii.h"
#include "core/util/assert.h"

namespace ringcache::commands {

namespace {
// C's isspace in the C locale, which Redis uses to refuse leading blanks.
bool is_c_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
}  // namespace

std::string errors::invalid_expire_time(std::string_view command_name) {
  return fmt::format("ERR invalid expire time in '{}' command", command_name);
}

std::string errors::wrong_arguments(std::string_view command_name) {
  return fmt::format("ERR wrong number of arguments for '{}' command", command_name);
}

std::optional<long double> parse_long_double(std::string_view text) {
  if (text.empty() || text.size() >= constants::long_double_chars_max) return std::nullopt;
  const std::string buffer(text);  // strtold needs a terminator
  char* end = nullptr;
  errno = 0;
  const long double value = std::strtold(buffer.c_str(), &end);
  // The whole text must be the number: an embedded NUL would otherwise end it early.
  if (is_c_space(buffer[0]) || end != buffer.c_str() + buffer.size() || std::isnan(value)) {
    return std::nullopt;
  }
  if (errno == ERANGE && (std::isinf(value) || value == 0)) return std::nullopt;
  return value;
}

std::optional<uint64_t> parse_cursor(std::string_view text) {
  const std::string buffer(text);
  if (!buffer.empty() && is_c_space(buffer[0])) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(buffer.c_str(), &end, 10);
  if (*end != '\0' || errno == ERANGE) return std::nullopt;
  return static_cast<uint64_t>(value);
}

std::optional<int64_t> int64_or_reply(CommandContext& ctx, std::string_view text) {
  auto value = parse_int64(text);
  if (!value) ctx.reply.error(errors::not_integer);
  return value;
}

std::optional<long double> long_double_or_reply(CommandContext& ctx, std::string_view text) {
  auto value = parse_long_double(text);
  if (!value) ctx.reply.error(errors::not_float);
  return value;
}

std::string format_int64(int64_t value) { return fmt::format("{}", value); }

std::string format_long_double_human(long double value) {
  // Fixed notation of a long double needs up to ~4950 digits; Redis' buffer is the same size.
  char buffer[constants::long_double_chars_max];
  const int length = std::snprintf(buffer, sizeof buffer, "%.17Lf", value);
  RING_ASSERT(length > 0 && static_cast<size_t>(length) < sizeof buffer);
  std::string text(buffer, static_cast<size_t>(length));
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  if (text == "-0") text = "0";
  return text;
}

bool reject_wrong_type(CommandContext& ctx, const store::Entry* entry, store::ValueType type) {
  if (entry == nullptr || entry->type() == type) return false;
  ctx.reply.error(errors::wrong_type);
  return true;
}

bool option_is(std::string_view arg, std::string_view option) {
  return protocol::iequals(arg, option);
}

std::optional<int64_t> checked_add(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return std::nullopt;
  return sum;
}

}  // namespace ringcache::commands
