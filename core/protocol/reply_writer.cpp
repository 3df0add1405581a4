#include "core/protocol/reply_writer.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace ringcache::protocol {

// Every reply starts with one of these lines, so it is built on the stack and appended once.
void ReplyWriter::header(char type, int64_t count) {
  char line[24];  // type, at most 20 characters of int64, CR LF
  line[0] = type;
  char* end = std::to_chars(line + 1, line + sizeof(line) - 2, count).ptr;
  *end++ = '\r';
  *end++ = '\n';
  out_.append(line, static_cast<size_t>(end - line));
}

void ReplyWriter::simple(std::string_view status) {
  out_.push_back('+');
  out_.append(status);
  out_.append("\r\n", 2);
}

void ReplyWriter::error(std::string_view message) {
  ++errors_for_stats_;
  error_words_.emplace_back(message.substr(0, message.find(' ')));
  error_already_counted(message);
}

void ReplyWriter::error_already_counted(std::string_view message) {
  ++errors_written_;
  out_.push_back('-');
  // Error lines cannot carry newlines; Redis replaces them with spaces.
  for (char c : message) out_.push_back(c == '\r' || c == '\n' ? ' ' : c);
  out_.append("\r\n", 2);
}

void ReplyWriter::integer(int64_t value) { header(':', value); }

void ReplyWriter::bulk(std::string_view value) {
  header('$', static_cast<int64_t>(value.size()));
  out_.append(value);
  out_.append("\r\n", 2);
}

void ReplyWriter::null() {
  if (resp_version_ >= 3) {
    out_.append("_\r\n", 3);
  } else {
    out_.append("$-1\r\n", 5);
  }
}

void ReplyWriter::null_array() {
  if (resp_version_ >= 3) {
    out_.append("_\r\n", 3);
  } else {
    out_.append("*-1\r\n", 5);
  }
}

void ReplyWriter::array(size_t count) { header('*', static_cast<int64_t>(count)); }

void ReplyWriter::map(size_t pairs) {
  if (resp_version_ >= 3) {
    header('%', static_cast<int64_t>(pairs));
  } else {
    header('*', static_cast<int64_t>(pairs * 2));
  }
}

void ReplyWriter::set(size_t count) { header(resp_version_ >= 3 ? '~' : '*', static_cast<int64_t>(count)); }

void ReplyWriter::push(size_t count) { header(resp_version_ >= 3 ? '>' : '*', static_cast<int64_t>(count)); }

void ReplyWriter::dbl(double value) {
  if (resp_version_ >= 3) {
    out_.push_back(',');
    out_.append(format_double(value));
    out_.append("\r\n", 2);
  } else {
    bulk(format_double(value));
  }
}

void ReplyWriter::boolean(bool value) {
  if (resp_version_ >= 3) {
    out_.append(value ? "#t\r\n" : "#f\r\n", 4);
  } else {
    integer(value ? 1 : 0);
  }
}

void ReplyWriter::verbatim(std::string_view format, std::string_view text) {
  if (resp_version_ >= 3) {
    header('=', static_cast<int64_t>(text.size() + 4));
    out_.append(format.substr(0, 3));
    out_.push_back(':');
    out_.append(text);
    out_.append("\r\n", 2);
  } else {
    bulk(text);
  }
}

std::string ReplyWriter::format_double(long double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  int length = std::snprintf(buffer, sizeof buffer, "%.17Lg", value);
  std::string text(buffer, static_cast<size_t>(length));
  // Redis trims trailing zeros after a decimal point, and the point itself.
  if (text.find('.') != std::string::npos && text.find('e') == std::string::npos) {
    while (!text.empty() && text.back() == '0') text.pop_back();
    if (!text.empty() && text.back() == '.') text.pop_back();
  }
  return text;
}

std::string ReplyWriter::format_double_shortest(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return fmt::format("{}", value);
}

}  // namespace ringcache::protocol
