// libFuzzer target for the HTTP request reader. The first input byte picks small or default
// limits and how the rest is cut into reads; the parser must never crash or read past its
// input, every error must carry a 4xx/5xx status, and the chunked feed must yield the same
// requests (or the same error) as the whole buffer. Each request's body then goes through the
// JSON reader, as the API would read it.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/http_parser.h"
#include "core/protocol/json.h"

namespace {

using ringcache::protocol::HttpParser;
using ringcache::protocol::HttpParserLimits;

struct Fed {
  std::vector<std::string> requests;  // method, target and body of each, joined
  int error_status = 0;
  bool operator==(const Fed&) const = default;
};

Fed feed(std::string_view data, size_t chunk, const HttpParserLimits& limits) {
  HttpParser parser(limits);
  std::string buffer;
  size_t begin = 0;
  Fed fed;
  for (size_t at = 0; at < data.size(); at += chunk) {
    buffer.append(data.substr(at, chunk));
    for (;;) {
      const std::string_view pending = std::string_view(buffer).substr(begin);
      const auto outcome = parser.parse(pending);
      if (outcome == HttpParser::Outcome::incomplete) break;
      if (outcome == HttpParser::Outcome::error) {
        fed.error_status = parser.error_status();
        if (fed.error_status < 400 || fed.error_status >= 600) std::abort();
        return fed;
      }
      if (parser.consumed() == 0 || parser.consumed() > pending.size()) std::abort();
      const auto& request = parser.request();
      (void)ringcache::protocol::json::parse(request.body);
      fed.requests.push_back(std::string(request.method) + ' ' + std::string(request.target) +
                             ' ' + std::string(request.body));
      begin += parser.consumed();
    }
  }
  return fed;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  const uint8_t control = bytes[0];
  const std::string_view data(reinterpret_cast<const char*>(bytes + 1), size - 1);
  HttpParserLimits limits;
  if (control & 1) {
    limits.request_line_bytes_max = 24;
    limits.head_bytes_max = 64;
    limits.headers_max = 3;
    limits.body_bytes_max = 16;
  }
  const size_t chunk = 1 + (control >> 1);
  if (!(feed(data, chunk, limits) == feed(data, data.size() + 1, limits))) std::abort();
  return 0;
}
