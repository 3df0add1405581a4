#pragma once
// Reads the pushes a client has pending (Client::pushes, what its connection would send next)
// as redis-cli would print each, and consumes them.

#include <string>
#include <string_view>
#include <vector>

#include "core/server/clients/client.h"
#include "tests/support/reply_decoder.h"

namespace ringcache::testing {

inline std::vector<std::string> take_pushes(server::Client& client) {
  std::vector<std::string> printed;
  std::string_view input(client.pushes);
  while (!input.empty()) {
    const std::optional<Reply> push = decode_reply(input);
    if (!push) {
      printed.push_back("(undecodable) " + std::string(input));
      break;
    }
    printed.push_back(push->cli());
  }
  client.pushes.clear();
  return printed;
}

}  // namespace ringcache::testing
