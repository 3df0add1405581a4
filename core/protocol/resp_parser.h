#pragma once
// The request reader: parses client requests out of a connection's query buffer, incrementally
// and without copying.
//
// Two request forms, as Redis reads them:
//   multibulk  "*<n>\r\n" then n times "$<len>\r\n<len bytes>\r\n"  (what client libraries send)
//   inline     one line of words split by Redis' quoting rules      (telnet, redis-cli scripts)
// A request is parsed as soon as its last byte is in the buffer, however the bytes arrived, and
// the parser resumes where it stopped, so feeding a request byte by byte costs no rescanning of
// the bulk payloads. Protocol errors carry Redis 7.0's words; the caller replies with them and
// closes the connection, as Redis does.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/constants.h"

namespace ringcache::protocol {

struct ParserLimits {
  int64_t bulk_bytes_max = constants::proto_max_bulk_len_default;  // proto-max-bulk-len
  int64_t multibulk_args_max = constants::multibulk_args_max;
  size_t line_bytes_max = constants::inline_line_bytes_max;  // inline lines and headers
  // Before AUTH on a node with requirepass, requests must stay small (Redis' rule).
  bool unauthenticated = false;
};

class RespParser {
 public:
  enum class Outcome {
    command,     // argv() and consumed() describe one request (argv may be empty: "*0", "\r\n")
    incomplete,  // the request is not all there yet
    error,       // a protocol error; error() says which
  };

  explicit RespParser(ParserLimits limits = {}) : limits_(limits) {}

  void set_limits(const ParserLimits& limits) { limits_ = limits; }

  // Parses the request at the front of `input`: the query buffer from the first byte not yet
  // consumed. After `incomplete`, call again with the same bytes plus more. After `command`, the
  // next call must start right after consumed() bytes.
  Outcome parse(std::string_view input);

  // The arguments of the last request: views into the input passed to parse() (or into the
  // parser, for quoted inline words), valid until the input's bytes change or parse() is called.
  std::span<const std::string_view> argv() const { return argv_; }
  // Bytes the last request took.
  size_t consumed() const { return consumed_; }
  // "ERR Protocol error: ..." after Outcome::error.
  const std::string& error() const { return error_; }
  // Bytes still missing from the bulk being read, when known (0 otherwise): lets the caller make
  // room for a large argument once instead of growing the buffer step by step.
  size_t bytes_missing_hint() const { return missing_hint_; }

 private:
  enum class Mode { start, multibulk, inline_line };

  Outcome parse_multibulk_header(std::string_view input);
  Outcome parse_bulks(std::string_view input);
  Outcome parse_bulk_header(std::string_view input);
  Outcome parse_inline(std::string_view input);
  Outcome finish(size_t consumed);
  Outcome fail(std::string message);
  void reset();

  ParserLimits limits_;
  Mode mode_ = Mode::start;
  size_t pos_ = 0;               // where scanning resumes, from the start of the request
  int64_t args_left_ = 0;        // multibulk arguments still to read
  int64_t bulk_len_ = -1;        // length of the bulk being read; -1 before its header
  size_t inline_scanned_ = 0;    // inline: bytes already searched for the newline
  // (offset, length) of each argument read, kept only while a request is incomplete; a request
  // parsed in one call goes straight into argv_.
  std::vector<std::pair<size_t, size_t>> spans_;
  std::vector<std::string> inline_words_;
  std::vector<std::string_view> argv_;
  size_t consumed_ = 0;
  size_t missing_hint_ = 0;
  std::string error_;
};

// Where the keys of the complete multibulk requests at the front of `input` probably are: the
// second argument of each, until `keys` is full or a request is incomplete, inline or unusual.
// Validates nothing (RespParser does, when the requests run); a guess for prefetching only.
size_t sniff_keys(std::string_view input, std::span<std::string_view> keys);

}  // namespace ringcache::protocol
