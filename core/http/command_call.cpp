#include "core/http/command_call.h"

#include <charconv>
#include <span>

#include "core/commands/dispatch.h"
#include "core/util/assert.h"

namespace ringcache::http {
namespace {

// The text between the type byte and the first CRLF.
std::string_view header_line(std::string_view reply) {
  const size_t end = reply.find("\r\n");
  RING_ASSERT_MSG(end != std::string_view::npos, "a reply line ends with CRLF");
  return reply.substr(1, end - 1);
}

int64_t parse_number(std::string_view text) {
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  RING_ASSERT_MSG(ec == std::errc() && end == text.data() + text.size(), "a RESP number");
  return value;
}

}  // namespace

CommandReply CommandCaller::call(std::initializer_list<std::string_view> argv) {
  out_.clear();
  protocol::ReplyWriter writer(out_, /*resp_version=*/2);
  commands::execute(server_, client_, std::span<const std::string_view>(argv.begin(), argv.size()),
                    writer);
  RING_ASSERT_MSG(!out_.empty(), "the commands the API runs always reply");
  const std::string_view reply = out_;
  const std::string_view line = header_line(reply);
  switch (reply[0]) {
    case '+': return {CommandReply::Kind::status, line, 0};
    case '-': return {CommandReply::Kind::error, line, 0};
    case ':': return {CommandReply::Kind::integer, {}, parse_number(line)};
    case '$': {
      const int64_t length = parse_number(line);
      if (length < 0) return {CommandReply::Kind::null, {}, 0};
      const size_t start = line.size() + 3;  // '$', the digits, CRLF
      return {CommandReply::Kind::bulk, reply.substr(start, static_cast<size_t>(length)), 0};
    }
    default: RING_ASSERT_MSG(false, "the API only runs commands with scalar replies");
  }
  RING_UNREACHABLE();
}

}  // namespace ringcache::http
