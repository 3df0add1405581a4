// libFuzzer target for the request parser. The first input byte picks the limits and how the
// rest is cut into reads; the parser must never crash, never read past its input, and must
// yield the same requests for the chunked feed as for the whole buffer.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/resp_parser.h"

namespace {

using ringcache::protocol::ParserLimits;
using ringcache::protocol::RespParser;

struct Result {
  std::vector<std::vector<std::string>> commands;
  std::string error;
  bool operator==(const Result&) const = default;
};

// Feeds `data` in reads of `chunk` bytes, parsing every complete request after each read.
Result feed(std::string_view data, size_t chunk, const ParserLimits& limits) {
  RespParser parser(limits);
  std::string buffer;
  size_t begin = 0;
  Result result;
  for (size_t at = 0; at < data.size(); at += chunk) {
    buffer.append(data.substr(at, chunk));
    for (;;) {
      const std::string_view pending = std::string_view(buffer).substr(begin);
      const auto outcome = parser.parse(pending);
      if (outcome == RespParser::Outcome::incomplete) break;
      if (outcome == RespParser::Outcome::error) {
        result.error = parser.error();
        return result;
      }
      if (parser.consumed() == 0 || parser.consumed() > pending.size()) std::abort();
      result.commands.emplace_back(parser.argv().begin(), parser.argv().end());
      begin += parser.consumed();
    }
  }
  return result;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  const uint8_t control = bytes[0];
  const std::string_view data(reinterpret_cast<const char*>(bytes + 1), size - 1);
  ParserLimits limits;
  limits.bulk_bytes_max = (control & 1) ? 64 : limits.bulk_bytes_max;
  limits.line_bytes_max = (control & 2) ? 32 : limits.line_bytes_max;
  limits.unauthenticated = (control & 4) != 0;
  const size_t chunk = 1 + (control >> 3);
  const Result whole = feed(data, data.size() + 1, limits);
  // With small line limits a "too big" error depends on how much arrived before the newline,
  // so only compare splits when lines cannot hit the limit.
  if (data.size() < limits.line_bytes_max && !(feed(data, chunk, limits) == whole)) std::abort();
  return 0;
}
