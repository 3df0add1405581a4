#include "core/protocol/json.h"

#include <fmt/format.h>

#include <charconv>

#include "core/protocol/utf8.h"

namespace ringcache::protocol::json {
namespace {

class Reader {
 public:
  Reader(std::string_view text, size_t depth_max) : text_(text), depth_max_(depth_max) {}

  Result<Value> document() {
    if (!valid_utf8(text_)) return Status(Errc::invalid_argument, "JSON text is not valid UTF-8");
    Value value;
    skip_whitespace();
    if (!read_value(value, 0)) return error();
    skip_whitespace();
    if (pos_ != text_.size()) {
      fail("unexpected text after the document");
      return error();
    }
    return value;
  }

 private:
  bool read_value(Value& out, size_t depth) {
    if (pos_ >= text_.size()) return fail("unexpected end of text");
    if (++values_ > constants::json_values_max) {
      return fail(fmt::format("more than {} values", constants::json_values_max));
    }
    switch (text_[pos_]) {
      case '{': return read_object(out, depth + 1);
      case '[': return read_array(out, depth + 1);
      case '"': out.kind = Value::Kind::string; return read_string(out.string);
      case 't': out.kind = Value::Kind::boolean; out.boolean = true; return literal("true");
      case 'f': out.kind = Value::Kind::boolean; return literal("false");
      case 'n': out.kind = Value::Kind::null; return literal("null");
      default: return read_number(out);
    }
  }

  bool read_object(Value& out, size_t depth) {
    if (depth > depth_max_) return fail(fmt::format("nesting deeper than {}", depth_max_));
    out.kind = Value::Kind::object;
    ++pos_;  // '{'
    skip_whitespace();
    if (consume('}')) return true;
    for (;;) {
      Member member;
      if (pos_ >= text_.size() || text_[pos_] != '"') return fail("expected a string key");
      if (!read_string(member.key)) return false;
      if (out.find(member.key) != nullptr) {
        return fail(fmt::format("duplicate key \"{}\"", member.key));
      }
      skip_whitespace();
      if (!consume(':')) return fail("expected ':'");
      skip_whitespace();
      if (!read_value(member.value, depth)) return false;
      out.members.push_back(std::move(member));
      skip_whitespace();
      if (consume('}')) return true;
      if (!consume(',')) return fail("expected ',' or '}'");
      skip_whitespace();
    }
  }

  bool read_array(Value& out, size_t depth) {
    if (depth > depth_max_) return fail(fmt::format("nesting deeper than {}", depth_max_));
    out.kind = Value::Kind::array;
    ++pos_;  // '['
    skip_whitespace();
    if (consume(']')) return true;
    for (;;) {
      if (!read_value(out.items.emplace_back(), depth)) return false;
      skip_whitespace();
      if (consume(']')) return true;
      if (!consume(',')) return fail("expected ',' or ']'");
      skip_whitespace();
    }
  }

  bool read_string(std::string& out) {
    ++pos_;  // opening quote
    for (;;) {
      // Copy the plain run up to the next quote, backslash or control character at once.
      const size_t run_start = pos_;
      while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\\' &&
             static_cast<unsigned char>(text_[pos_]) >= 0x20) {
        ++pos_;
      }
      out.append(text_.substr(run_start, pos_ - run_start));
      if (pos_ >= text_.size()) return fail("unterminated string");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c != '\\') return fail("control character in string (escape it)");
      if (!read_escape(out)) return false;
    }
  }

  bool read_escape(std::string& out) {
    ++pos_;  // backslash
    if (pos_ >= text_.size()) return fail("unterminated escape");
    const char c = text_[pos_++];
    switch (c) {
      case '"': out.push_back('"'); return true;
      case '\\': out.push_back('\\'); return true;
      case '/': out.push_back('/'); return true;
      case 'b': out.push_back('\b'); return true;
      case 'f': out.push_back('\f'); return true;
      case 'n': out.push_back('\n'); return true;
      case 'r': out.push_back('\r'); return true;
      case 't': out.push_back('\t'); return true;
      case 'u': return read_unicode_escape(out);
      default: --pos_; return fail("invalid escape");
    }
  }

  // \uXXXX, or a surrogate pair \uD83D\uDE00 for a character beyond the BMP.
  bool read_unicode_escape(std::string& out) {
    uint32_t unit = 0;
    if (!hex4(unit)) return false;
    if (unit >= 0xDC00 && unit <= 0xDFFF) return fail("unpaired low surrogate");
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      uint32_t low = 0;
      if (text_.substr(pos_, 2) != "\\u" || (pos_ += 2, !hex4(low)) || low < 0xDC00 ||
          low > 0xDFFF) {
        return fail("unpaired high surrogate");
      }
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(out, unit);
    return true;
  }

  bool hex4(uint32_t& out) {
    if (pos_ + 4 > text_.size()) return fail("truncated \\u escape");
    const char* begin = text_.data() + pos_;
    const auto [end, ec] = std::from_chars(begin, begin + 4, out, 16);
    // from_chars accepts a sign-free run of hex digits; all four must be digits.
    if (ec != std::errc() || end != begin + 4) return fail("invalid \\u escape");
    pos_ += 4;
    return true;
  }

  bool read_number(Value& out) {
    const size_t start = pos_;
    consume('-');
    if (consume('0')) {
      // No leading zeros: "01" is not a number.
    } else if (!digits()) {
      return fail("unexpected character");
    }
    bool integral = true;
    if (consume('.')) {
      integral = false;
      if (!digits()) return fail("expected digits after '.'");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      integral = false;
      ++pos_;
      if (!consume('+')) consume('-');
      if (!digits()) return fail("expected digits in exponent");
    }
    const char* begin = text_.data() + start;
    const char* end = text_.data() + pos_;
    out.kind = Value::Kind::number;
    std::from_chars(begin, end, out.number);  // out of range: inf, which callers refuse
    int64_t integer = 0;
    if (integral && std::from_chars(begin, end, integer).ec == std::errc()) out.integer = integer;
    return true;
  }

  bool digits() {
    const size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return fail("unexpected character");
    pos_ += word.size();
    return true;
  }

  bool consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  void skip_whitespace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool fail(std::string message) {
    if (message_.empty()) message_ = fmt::format("malformed JSON at byte {}: {}", pos_, message);
    return false;
  }
  Status error() const { return Status(Errc::invalid_argument, message_); }

  std::string_view text_;
  size_t depth_max_;
  size_t pos_ = 0;
  size_t values_ = 0;
  std::string message_;
};

}  // namespace

const Value* Value::find(std::string_view key) const {
  for (const Member& member : members) {
    if (member.key == key) return &member.value;
  }
  return nullptr;
}

Result<Value> parse(std::string_view text, size_t depth_max) {
  return Reader(text, depth_max).document();
}

std::string_view kind_name(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::null: return "null";
    case Value::Kind::boolean: return "a boolean";
    case Value::Kind::number: return "a number";
    case Value::Kind::string: return "a string";
    case Value::Kind::array: return "an array";
    case Value::Kind::object: return "an object";
  }
  RING_UNREACHABLE();
}

}  // namespace ringcache::protocol::json
