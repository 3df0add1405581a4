// Stream ID arithmetic and parsing (stream_id.h).

#include "core/store/stream_id.h"

#include <charconv>

#include "core/constants.h"
#include "core/util/integer.h"

namespace ringcache::store {
namespace {

// Redis' string2ull: a signed 64-bit decimal that is not negative, or else an unsigned one
// written with digits only (values past INT64_MAX).
std::optional<uint64_t> parse_u64(std::string_view text) {
  if (const auto value = parse_int64(text)) {
    if (*value < 0) return std::nullopt;
    return static_cast<uint64_t>(*value);
  }
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [at, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || at != end) return std::nullopt;
  return value;
}

}  // namespace

std::optional<StreamId> StreamId::next() const {
  if (seq != UINT64_MAX) return StreamId{ms, seq + 1};
  if (ms != UINT64_MAX) return StreamId{ms + 1, 0};
  return std::nullopt;
}

std::optional<StreamId> StreamId::previous() const {
  if (seq != 0) return StreamId{ms, seq - 1};
  if (ms != 0) return StreamId{ms - 1, UINT64_MAX};
  return std::nullopt;
}

std::string StreamId::to_string() const { return std::to_string(ms) + "-" + std::to_string(seq); }

std::optional<ParsedStreamId> parse_stream_id(std::string_view text, uint64_t missing_seq,
                                              bool strict, bool allow_star_seq) {
  if (text.size() > constants::stream_id_text_bytes_max) return std::nullopt;
  // Redis reads the argument as a C string: an embedded NUL ends it.
  text = text.substr(0, text.find('\0'));
  if (text == "-" || text == "+") {
    if (strict) return std::nullopt;
    return ParsedStreamId{text == "-" ? StreamId::min() : StreamId::max(), true};
  }
  const size_t dash = text.find('-');
  const auto ms = parse_u64(text.substr(0, dash));
  if (!ms) return std::nullopt;
  if (dash == std::string_view::npos) return ParsedStreamId{{*ms, missing_seq}, true};
  const std::string_view seq_text = text.substr(dash + 1);
  if (allow_star_seq && seq_text == "*") return ParsedStreamId{{*ms, 0}, false};
  const auto seq = parse_u64(seq_text);
  if (!seq) return std::nullopt;
  return ParsedStreamId{{*ms, *seq}, true};
}

}  // namespace ringcache::store
