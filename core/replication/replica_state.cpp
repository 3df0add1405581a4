#include "core/replication/replica_state.h"

#include <charconv>

#include "core/constants.h"

namespace ringcache::replication {
namespace {

bool is_hex_id(std::string_view id) {
  if (id.size() != constants::repl_id_chars) return false;
  for (const char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

PsyncReply failed(std::string_view line) {
  PsyncReply reply;
  reply.error = std::string(line);
  return reply;
}

}  // namespace

PsyncReply parse_psync_reply(std::string_view line) {
  constexpr std::string_view full = "+FULLRESYNC ";
  constexpr std::string_view partial = "+CONTINUE";
  PsyncReply reply;
  if (line.starts_with(full)) {
    line.remove_prefix(full.size());
    const size_t space = line.find(' ');
    if (space == std::string_view::npos || !is_hex_id(line.substr(0, space))) return failed(line);
    const std::string_view number = line.substr(space + 1);
    const auto parsed = std::from_chars(number.data(), number.data() + number.size(), reply.offset);
    if (parsed.ec != std::errc() || parsed.ptr != number.data() + number.size()) {
      return failed(line);
    }
    reply.kind = PsyncReply::Kind::full;
    reply.replid = std::string(line.substr(0, space));
    return reply;
  }
  if (line.starts_with(partial)) {
    line.remove_prefix(partial.size());
    if (line.starts_with(' ')) line.remove_prefix(1);
    if (!line.empty() && !is_hex_id(line)) return failed(line);
    reply.kind = PsyncReply::Kind::partial;
    reply.replid = std::string(line);
    return reply;
  }
  return failed(line);
}

}  // namespace ringcache::replication
