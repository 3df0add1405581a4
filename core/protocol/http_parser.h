#pragma once
// The HTTP/1.1 request reader: parses requests out of a connection's input buffer, incrementally
// and without copying (RFC 9112 message syntax, the subset a cache API needs).
//
// A request is the request line, header fields, a blank line and a body of Content-Length bytes.
// The parser remembers how far it has looked for the end of the head, so a request that arrives
// byte by byte is not rescanned; once the head is complete the body is waited for without
// looking at it. Anything it cannot accept is an error that carries the status to answer with;
// the caller answers and closes the connection (the stream cannot be trusted past a bad request):
//   400  malformed request line or header, missing Host (HTTP/1.1), bad Content-Length,
//        Transfer-Encoding together with Content-Length
//   413  Content-Length over body_bytes_max         414  request line over request_line_bytes_max
//   417  an Expect other than 100-continue          431  head over head_bytes_max or headers_max
//   501  Transfer-Encoding (chunked bodies are not accepted; send Content-Length)
//   505  an HTTP version other than 1.0 and 1.1
// Not supported on purpose: chunked request bodies, obsolete line folding, bare LF line ends,
// absolute-form and asterisk-form targets.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/constants.h"

namespace ringcache::protocol {

struct HttpParserLimits {
  size_t request_line_bytes_max = constants::http_request_line_bytes_max;
  size_t head_bytes_max = constants::http_head_bytes_max;
  size_t headers_max = constants::http_headers_max;
  size_t body_bytes_max = constants::http_body_bytes_max;
};

struct HttpHeader {
  std::string_view name;   // as sent; compare case-insensitively
  std::string_view value;  // without surrounding whitespace
};

// One parsed request: views into the input given to HttpParser::parse.
struct HttpRequestView {
  std::string_view method;  // case-sensitive token, "GET"
  std::string_view target;  // origin-form: "/path?query", still percent-encoded
  int version_minor = 1;    // HTTP/1.<minor>
  std::span<const HttpHeader> headers;
  std::string_view body;
  bool keep_alive = true;   // HTTP/1.1 unless "Connection: close"; 1.0 only with "keep-alive"

  // The value of the first header named `name` (case-insensitive), or "" when absent.
  std::string_view header(std::string_view name) const;
};

class HttpParser {
 public:
  enum class Outcome {
    request,     // request() and consumed() describe one whole request
    incomplete,  // call again with the same bytes plus more
    error,       // error_status() and error() say why; answer and close
  };

  explicit HttpParser(HttpParserLimits limits = {}) : limits_(limits) {}

  // Parses the request at the front of `input` (the buffer from the first byte not consumed).
  // After `incomplete`, call again with the same bytes plus more; after `request`, the next call
  // starts right after consumed() bytes.
  Outcome parse(std::string_view input);

  // Valid after Outcome::request, until the input's bytes change or parse() is called.
  const HttpRequestView& request() const { return request_; }
  size_t consumed() const { return consumed_; }
  int error_status() const { return error_status_; }
  const std::string& error() const { return error_; }
  // True while the head of a request that sent "Expect: 100-continue" is parsed and its body
  // has not all arrived: the caller may send "100 Continue" once (continue_sent()).
  bool awaiting_continue() const { return head_done_ && expect_continue_ && !continue_sent_; }
  void continue_sent() { continue_sent_ = true; }
  // Body bytes still missing when known (0 otherwise), so the caller can make room at once.
  size_t bytes_missing_hint() const { return missing_hint_; }

 private:
  using Span = std::pair<size_t, size_t>;  // (offset from the request start, length)

  Outcome parse_head(std::string_view input);
  Outcome parse_request_line(std::string_view line);
  Outcome parse_header_line(std::string_view line, size_t offset);
  Outcome check_headers(std::string_view input);
  Outcome parse_content_length(std::string_view value);
  Outcome finish(std::string_view input);
  Outcome fail(int status, std::string message);
  void reset();

  HttpParserLimits limits_;
  // Scanning state of the request being read.
  size_t start_ = 0;          // leading CRLFs skipped before the request line
  size_t scanned_ = 0;        // bytes already searched for line ends
  size_t line_start_ = 0;     // start of the line being read
  bool request_line_done_ = false;
  bool head_done_ = false;
  size_t head_end_ = 0;       // offset just past the blank line
  // What the head said.
  Span method_{}, target_{};
  int version_minor_ = 1;
  std::vector<std::pair<Span, Span>> header_spans_;
  size_t content_length_ = 0;
  bool has_content_length_ = false;
  bool expect_continue_ = false;
  bool continue_sent_ = false;
  bool keep_alive_ = true;
  // Results.
  std::vector<HttpHeader> headers_;
  HttpRequestView request_;
  size_t consumed_ = 0;
  size_t missing_hint_ = 0;
  int error_status_ = 0;
  std::string error_;
};

}  // namespace ringcache::protocol
