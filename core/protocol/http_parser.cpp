#include "core/protocol/http_parser.h"

#include "core/protocol/ascii.h"
#include "core/util/assert.h"

namespace ringcache::protocol {
namespace {

// RFC 9110 tchar: the characters of methods and header names.
bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

// Visible ASCII only: a target with spaces, controls or raw non-ASCII bytes is malformed.
bool is_target(std::string_view text) {
  if (text.empty() || text[0] != '/') return false;
  for (char c : text) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

// Field values may hold any byte but controls (other than tab) and DEL.
bool is_field_value(std::string_view text) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte == 0x7f) return false;
  }
  return true;
}

std::string_view trim_whitespace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Calls `visit` with each comma-separated token of a list-valued header, trimmed.
template <typename Visit>
void for_each_list_item(std::string_view value, Visit visit) {
  while (!value.empty()) {
    const size_t comma = value.find(',');
    visit(trim_whitespace(value.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

std::string_view view(std::string_view input, std::pair<size_t, size_t> span) {
  return input.substr(span.first, span.second);
}

}  // namespace

std::string_view HttpRequestView::header(std::string_view name) const {
  for (const HttpHeader& field : headers) {
    if (iequals(field.name, name)) return field.value;
  }
  return {};
}

HttpParser::Outcome HttpParser::parse(std::string_view input) {
  missing_hint_ = 0;
  if (!head_done_) {
    const Outcome head = parse_head(input);
    if (head != Outcome::request) return head;
  }
  return finish(input);
}

// Reads lines until the blank line that ends the head. Returns `request` once the head is
// complete and valid (the body may still be missing).
HttpParser::Outcome HttpParser::parse_head(std::string_view input) {
  // RFC 9112 2.2: empty lines before a request line are ignored (some clients send a CRLF
  // after a body); they still count against the head limit.
  while (!request_line_done_ && line_start_ == start_ && input.size() >= start_ + 2 &&
         input[start_] == '\r' && input[start_ + 1] == '\n') {
    start_ += 2;
    line_start_ = scanned_ = start_;
  }
  for (;;) {
    const size_t newline = input.find('\n', scanned_);
    const size_t line_end = newline == std::string_view::npos ? input.size() : newline;
    if (!request_line_done_ && line_end - line_start_ > limits_.request_line_bytes_max) {
      return fail(414, "request line too long");
    }
    if (line_end - start_ > limits_.head_bytes_max) {
      return fail(431, "request header fields too large");
    }
    if (newline == std::string_view::npos) {
      scanned_ = input.size();
      return Outcome::incomplete;
    }
    if (newline == line_start_ || input[newline - 1] != '\r') {
      return fail(400, "line not ended by CRLF");
    }
    const std::string_view line = input.substr(line_start_, newline - 1 - line_start_);
    const size_t offset = line_start_;
    line_start_ = scanned_ = newline + 1;
    Outcome outcome;
    if (!request_line_done_) {
      outcome = parse_request_line(line);
      request_line_done_ = true;
    } else if (line.empty()) {
      head_done_ = true;
      head_end_ = newline + 1;
      return check_headers(input);
    } else {
      outcome = parse_header_line(line, offset);
    }
    if (outcome == Outcome::error) return outcome;
  }
}

// method SP origin-form SP HTTP/1.x
HttpParser::Outcome HttpParser::parse_request_line(std::string_view line) {
  const size_t first_space = line.find(' ');
  const size_t second_space =
      first_space == std::string_view::npos ? first_space : line.find(' ', first_space + 1);
  if (second_space == std::string_view::npos) return fail(400, "malformed request line");
  const std::string_view method = line.substr(0, first_space);
  const std::string_view target = line.substr(first_space + 1, second_space - first_space - 1);
  const std::string_view version = line.substr(second_space + 1);
  if (!is_token(method)) return fail(400, "malformed method");
  if (!is_target(target)) return fail(400, "malformed request target (origin-form expected)");
  const bool shaped = version.size() == 8 && version.starts_with("HTTP/") &&
                      version[5] >= '0' && version[5] <= '9' && version[6] == '.' &&
                      version[7] >= '0' && version[7] <= '9';
  if (!shaped) return fail(400, "malformed HTTP version");
  if (version[5] != '1' || version[7] > '1') return fail(505, "HTTP version not supported");
  version_minor_ = version[7] - '0';
  method_ = {start_, method.size()};
  target_ = {start_ + first_space + 1, target.size()};
  return Outcome::request;
}

// name ":" OWS value OWS
HttpParser::Outcome HttpParser::parse_header_line(std::string_view line, size_t offset) {
  if (line.front() == ' ' || line.front() == '\t') {
    return fail(400, "obsolete header line folding");
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
    return fail(400, "malformed header field");
  }
  const std::string_view raw_value = line.substr(colon + 1);
  const std::string_view value = trim_whitespace(raw_value);
  if (!is_field_value(value)) return fail(400, "control character in header value");
  if (header_spans_.size() >= limits_.headers_max) {
    return fail(431, "too many header fields");
  }
  const size_t value_offset = offset + colon + 1 + (value.data() - raw_value.data());
  header_spans_.push_back({{offset, colon}, {value_offset, value.size()}});
  return Outcome::request;
}

// The headers that shape the message: length, transfer coding, Host, Expect, Connection.
HttpParser::Outcome HttpParser::check_headers(std::string_view input) {
  size_t hosts = 0;
  bool transfer_encoding = false;
  bool close = false;
  bool keep_alive = false;
  for (const auto& [name_span, value_span] : header_spans_) {
    const std::string_view name = view(input, name_span);
    const std::string_view value = view(input, value_span);
    if (iequals(name, "content-length")) {
      if (parse_content_length(value) == Outcome::error) return Outcome::error;
    } else if (iequals(name, "transfer-encoding")) {
      transfer_encoding = true;
    } else if (iequals(name, "host")) {
      ++hosts;
    } else if (iequals(name, "expect")) {
      if (!iequals(value, "100-continue")) return fail(417, "unsupported expectation");
      expect_continue_ = version_minor_ == 1;
    } else if (iequals(name, "connection")) {
      for_each_list_item(value, [&](std::string_view option) {
        close = close || iequals(option, "close");
        keep_alive = keep_alive || iequals(option, "keep-alive");
      });
    }
  }
  // Both lengths at once is how requests are smuggled past proxies: refuse outright.
  if (transfer_encoding && has_content_length_) {
    return fail(400, "both Transfer-Encoding and Content-Length");
  }
  if (transfer_encoding) return fail(501, "Transfer-Encoding is not supported; send Content-Length");
  if (version_minor_ == 1 && hosts != 1) {
    return fail(400, hosts == 0 ? "missing Host header" : "more than one Host header");
  }
  keep_alive_ = version_minor_ == 1 ? !close : keep_alive && !close;
  return Outcome::request;
}

HttpParser::Outcome HttpParser::parse_content_length(std::string_view value) {
  if (value.empty()) return fail(400, "malformed Content-Length");
  size_t length = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return fail(400, "malformed Content-Length");
    // Checked digit by digit, so no value can overflow before it is refused.
    length = length * 10 + static_cast<size_t>(c - '0');
    if (length > limits_.body_bytes_max) return fail(413, "request body too large");
  }
  if (has_content_length_ && length != content_length_) {
    return fail(400, "conflicting Content-Length headers");
  }
  has_content_length_ = true;
  content_length_ = length;
  return Outcome::request;
}

HttpParser::Outcome HttpParser::finish(std::string_view input) {
  const size_t end = head_end_ + content_length_;
  if (input.size() < end) {
    missing_hint_ = end - input.size();
    return Outcome::incomplete;
  }
  headers_.clear();
  for (const auto& [name, value] : header_spans_) {
    headers_.push_back({view(input, name), view(input, value)});
  }
  request_.method = view(input, method_);
  request_.target = view(input, target_);
  request_.version_minor = version_minor_;
  request_.headers = headers_;
  request_.body = input.substr(head_end_, content_length_);
  request_.keep_alive = keep_alive_;
  consumed_ = end;
  reset();
  return Outcome::request;
}

HttpParser::Outcome HttpParser::fail(int status, std::string message) {
  RING_ASSERT(status >= 400 && status < 600);
  error_status_ = status;
  error_ = std::move(message);
  reset();
  return Outcome::error;
}

void HttpParser::reset() {
  start_ = scanned_ = line_start_ = head_end_ = 0;
  request_line_done_ = head_done_ = false;
  header_spans_.clear();
  content_length_ = 0;
  has_content_length_ = expect_continue_ = continue_sent_ = false;
  keep_alive_ = true;
}

}  // namespace ringcache::protocol
