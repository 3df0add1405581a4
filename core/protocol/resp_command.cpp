#include "core/protocol/resp_command.h"

#include <fmt/format.h>

#include <iterator>

namespace ringcache::protocol {

void append_resp_command(std::string& out, std::span<const std::string_view> argv) {
  fmt::format_to(std::back_inserter(out), "*{}\r\n", argv.size());
  for (const std::string_view arg : argv) {
    fmt::format_to(std::back_inserter(out), "${}\r\n", arg.size());
    out.append(arg).append("\r\n");
  }
}

}  // namespace ringcache::protocol
