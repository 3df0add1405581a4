#include "core/protocol/resp_parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/protocol/split_args.h"
#include "core/util/assert.h"

namespace ringcache::protocol {
namespace {

// Redis' string2ll rules for header numbers: optional '-', digits, no leading zeros, no '+'.
bool parse_header_number(std::string_view text, int64_t& out) {
  if (text.empty() || text.size() > 20) return false;
  const size_t digits_at = text[0] == '-' ? 1 : 0;
  if (text.size() == digits_at) return false;
  if (text[digits_at] == '0' && (text.size() > digits_at + 1 || digits_at == 1)) return false;
  for (size_t i = digits_at; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

// The header line at input[from...] up to its '\r', or npos when the "\r?" is not all there.
// Like Redis, the byte after '\r' is taken as the '\n' without looking at it.
size_t header_end(std::string_view input, size_t from) {
  const size_t cr = input.find('\r', from);
  if (cr == std::string_view::npos || cr + 1 >= input.size()) return std::string_view::npos;
  return cr;
}

// What nearly every header is: 1 to 18 digits, no leading zero, then "\r?" all there. One pass
// over the bytes, no overflow possible; returns the '\r' offset and sets `out`, or npos to let
// the careful path (header_end + parse_header_number) decide, with its exact errors.
constexpr size_t fast_digits_max = 18;
size_t fast_header_number(std::string_view input, size_t from, int64_t& out) {
  const size_t end = std::min(input.size(), from + fast_digits_max);
  int64_t value = 0;
  size_t i = from;
  for (; i < end; ++i) {
    const unsigned digit = static_cast<unsigned char>(input[i]) - unsigned{'0'};
    if (digit > 9) break;
    value = value * 10 + digit;
  }
  const size_t digits = i - from;
  if (digits == 0 || (digits > 1 && input[from] == '0')) return std::string_view::npos;
  if (i + 1 >= input.size() || input[i] != '\r') return std::string_view::npos;
  out = value;
  return i;
}

}  // namespace

size_t sniff_keys(std::string_view input, std::span<std::string_view> keys) {
  constexpr size_t npos = std::string_view::npos;
  size_t found = 0;
  size_t pos = 0;
  while (found < keys.size() && pos < input.size() && input[pos] == '*') {
    int64_t count = 0;
    size_t cr = fast_header_number(input, pos + 1, count);
    if (cr == npos) break;
    pos = cr + 2;
    for (int64_t i = 0; i < count; ++i) {
      int64_t length = 0;
      if (pos >= input.size() || input[pos] != '$') return found;
      cr = fast_header_number(input, pos + 1, length);
      if (cr == npos || static_cast<size_t>(length) + 2 > input.size() - cr - 2) return found;
      pos = cr + 2;
      if (i == 1) keys[found++] = input.substr(pos, static_cast<size_t>(length));
      pos += static_cast<size_t>(length) + 2;
    }
  }
  return found;
}

void RespParser::reset() {
  mode_ = Mode::start;
  pos_ = 0;
  args_left_ = 0;
  bulk_len_ = -1;
  inline_scanned_ = 0;
  spans_.clear();
  missing_hint_ = 0;
}

RespParser::Outcome RespParser::finish(size_t consumed) {
  consumed_ = consumed;
  reset();
  return Outcome::command;
}

RespParser::Outcome RespParser::fail(std::string message) {
  error_ = "ERR Protocol error: " + message;
  argv_.clear();
  reset();
  return Outcome::error;
}

RespParser::Outcome RespParser::parse(std::string_view input) {
  argv_.clear();
  consumed_ = 0;
  if (mode_ == Mode::start) {
    if (input.empty()) return Outcome::incomplete;
    mode_ = input[0] == '*' ? Mode::multibulk : Mode::inline_line;
  }
  if (mode_ == Mode::inline_line) return parse_inline(input);
  if (pos_ == 0) {
    const Outcome header = parse_multibulk_header(input);
    if (header != Outcome::command) return header;
    if (args_left_ <= 0) return finish(pos_);  // "*0\r\n" and "*-1\r\n" are empty requests
  } else {
    // Resuming: the arguments read so far, as views into this call's input.
    for (const auto& [offset, length] : spans_) argv_.emplace_back(input.data() + offset, length);
  }
  const Outcome outcome = parse_bulks(input);
  if (outcome == Outcome::incomplete) {
    // The input may move before the next call: keep the arguments as offsets until then.
    spans_.clear();
    for (std::string_view arg : argv_) spans_.emplace_back(arg.data() - input.data(), arg.size());
    argv_.clear();
  }
  return outcome;
}

// Reads "*<count>\r\n"; on success pos_ is past it and args_left_ holds the count.
RespParser::Outcome RespParser::parse_multibulk_header(std::string_view input) {
  int64_t count = 0;
  size_t cr = fast_header_number(input, 1, count);
  if (cr == std::string_view::npos) {
    cr = header_end(input, 0);
    if (cr == std::string_view::npos) {
      if (input.size() > limits_.line_bytes_max) return fail("too big mbulk count string");
      return Outcome::incomplete;
    }
    if (!parse_header_number(input.substr(1, cr - 1), count)) {
      return fail("invalid multibulk length");
    }
  }
  if (count > limits_.multibulk_args_max) return fail("invalid multibulk length");
  if (limits_.unauthenticated && count > constants::unauthenticated_multibulk_args_max) {
    return fail("unauthenticated multibulk length");
  }
  args_left_ = count;
  pos_ = cr + 2;
  if (count > 0) argv_.reserve(static_cast<size_t>(count));
  return Outcome::command;
}

// Reads "$<len>\r\n" at pos_; on success pos_ is past it and bulk_len_ holds the length.
RespParser::Outcome RespParser::parse_bulk_header(std::string_view input) {
  int64_t length = 0;
  const bool dollar = pos_ < input.size() && input[pos_] == '$';
  size_t cr = dollar ? fast_header_number(input, pos_ + 1, length) : std::string_view::npos;
  if (cr == std::string_view::npos) {
    cr = header_end(input, pos_);
    if (cr == std::string_view::npos) {
      if (input.size() - pos_ > limits_.line_bytes_max) return fail("too big bulk count string");
      return Outcome::incomplete;
    }
    if (input[pos_] != '$') return fail(fmt::format("expected '$', got '{}'", input[pos_]));
    if (!parse_header_number(input.substr(pos_ + 1, cr - pos_ - 1), length) || length < 0) {
      return fail("invalid bulk length");
    }
  }
  if (length > limits_.bulk_bytes_max) return fail("invalid bulk length");
  if (limits_.unauthenticated && length > constants::unauthenticated_bulk_bytes_max) {
    return fail("unauthenticated bulk length");
  }
  bulk_len_ = length;
  pos_ = cr + 2;
  return Outcome::command;
}

RespParser::Outcome RespParser::parse_bulks(std::string_view input) {
  while (args_left_ > 0) {
    if (bulk_len_ < 0) {
      const Outcome header = parse_bulk_header(input);
      if (header != Outcome::command) return header;
    }
    // Like Redis, the two bytes after the payload are taken as "\r\n" without looking at them.
    const size_t needed = static_cast<size_t>(bulk_len_) + 2;
    if (input.size() - pos_ < needed) {
      missing_hint_ = needed - (input.size() - pos_);
      return Outcome::incomplete;
    }
    argv_.emplace_back(input.data() + pos_, static_cast<size_t>(bulk_len_));
    pos_ += needed;
    bulk_len_ = -1;
    --args_left_;
  }
  return finish(pos_);
}

RespParser::Outcome RespParser::parse_inline(std::string_view input) {
  const size_t newline = input.find('\n', inline_scanned_);
  if (newline == std::string_view::npos) {
    if (input.size() > limits_.line_bytes_max) return fail("too big inline request");
    inline_scanned_ = input.size();
    return Outcome::incomplete;
  }
  std::string_view line = input.substr(0, newline);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  inline_words_.clear();
  if (!split_args(line, inline_words_)) return fail("unbalanced quotes in request");
  // The words are complete (no more reallocation), so views into them stay valid.
  argv_.assign(inline_words_.begin(), inline_words_.end());
  return finish(newline + 1);
}

}  // namespace ringcache::protocol
