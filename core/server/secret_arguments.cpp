#include "core/server/secret_arguments.h"

#include "core/protocol/ascii.h"

namespace ringcache::server {

bool is_secret_argument(const CommandSpec& spec, std::span<const std::string_view> argv,
                        size_t i) {
  if (spec.name == "auth") return i > 0;
  if (spec.name != "hello") return false;
  // HELLO [protover [AUTH username password] [SETNAME name]]: walk the options as HELLO does.
  for (size_t j = 2; j < argv.size(); ++j) {
    if (protocol::iequals(argv[j], "AUTH") && j + 2 < argv.size()) {
      if (i == j + 1 || i == j + 2) return true;
      j += 2;
    } else if (protocol::iequals(argv[j], "SETNAME")) {
      ++j;
    }
  }
  return false;
}

}  // namespace ringcache::server
