#include "core/protocol/split_args.h"

#include "core/util/hex.h"

namespace ringcache::protocol {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
char unescape(char c) {
  switch (c) {
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'b': return '\b';
    case 'a': return '\a';
    default: return c;
  }
}

// Reads `line` as a C string would: past the end (or at a NUL) there is only '\0'.
class Cursor {
 public:
  explicit Cursor(std::string_view line) : line_(line) {
    const size_t nul = line_.find('\0');
    if (nul != std::string_view::npos) line_ = line_.substr(0, nul);
  }
  char at(size_t ahead = 0) const {
    return pos_ + ahead < line_.size() ? line_[pos_ + ahead] : '\0';
  }
  void advance(size_t count = 1) { pos_ += count; }

 private:
  std::string_view line_;
  size_t pos_ = 0;
};

// After a closing quote only a blank or the end may follow.
bool quote_closes_properly(const Cursor& cursor) {
  const char next = cursor.at(1);
  return next == '\0' || is_blank(next);
}

// Reads one "double quoted" part; the cursor is on the opening quote. Leaves it on the closing.
bool read_double_quoted(Cursor& cursor, std::string& arg) {
  for (cursor.advance();; cursor.advance()) {
    const char c = cursor.at();
    if (c == '\0') return false;
    if (c == '\\' && cursor.at(1) == 'x' && hex_digit_value(cursor.at(2)) >= 0 &&
        hex_digit_value(cursor.at(3)) >= 0) {
      arg.push_back(
          static_cast<char>(hex_digit_value(cursor.at(2)) * 16 + hex_digit_value(cursor.at(3))));
      cursor.advance(3);
    } else if (c == '\\' && cursor.at(1) != '\0') {
      cursor.advance();
      arg.push_back(unescape(cursor.at()));
    } else if (c == '"') {
      return quote_closes_properly(cursor);
    } else {
      arg.push_back(c);
    }
  }
}

// Reads one 'single quoted' part; the cursor is on the opening quote. Leaves it on the closing.
bool read_single_quoted(Cursor& cursor, std::string& arg) {
  for (cursor.advance();; cursor.advance()) {
    const char c = cursor.at();
    if (c == '\0') return false;
    if (c == '\\' && cursor.at(1) == '\'') {
      cursor.advance();
      arg.push_back('\'');
    } else if (c == '\'') {
      return quote_closes_properly(cursor);
    } else {
      arg.push_back(c);
    }
  }
}

// Reads one argument starting at a non-blank byte; leaves the cursor after it.
bool read_arg(Cursor& cursor, std::string& arg) {
  for (;;) {
    const char c = cursor.at();
    if (c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r') return true;
    if (c == '"' || c == '\'') {
      const bool ok = c == '"' ? read_double_quoted(cursor, arg) : read_single_quoted(cursor, arg);
      if (!ok) return false;
      cursor.advance();
      return true;  // a well-closed quote is followed by a blank or the end
    }
    arg.push_back(c);
    cursor.advance();
  }
}

}  // namespace

bool split_args(std::string_view line, std::vector<std::string>& out) {
  Cursor cursor(line);
  for (;;) {
    while (cursor.at() != '\0' && is_blank(cursor.at())) cursor.advance();
    if (cursor.at() == '\0') return true;
    std::string& arg = out.emplace_back();
    if (!read_arg(cursor, arg)) return false;
  }
}

}  // namespace ringcache::protocol
