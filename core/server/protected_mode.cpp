#include "core/server/protected_mode.h"

namespace ringcache::server {
namespace {

// "127.0.0.1:5000", "::1:5000", "::ffff:127.0.0.1:5000": the address without its port.
std::string_view host_of(std::string_view peer_address) {
  const size_t colon = peer_address.rfind(':');
  return colon == std::string_view::npos ? peer_address : peer_address.substr(0, colon);
}

bool is_loopback(std::string_view host) {
  if (host.starts_with("::ffff:")) host.remove_prefix(7);  // IPv4 mapped into IPv6
  return host.starts_with("127.") || host == "::1";
}

}  // namespace

bool default_user_nopass(const Server& server) { return server.acl().default_user()->nopass; }

bool protected_mode_refuses(const Server& server, std::string_view peer_address) {
  return server.config().protected_mode && default_user_nopass(server) &&
         !is_loopback(host_of(peer_address));
}

std::string_view protected_mode_denied_reply() {
  return "-DENIED Redis is running in protected mode because protected mode is enabled and no "
         "password is set for the default user. In this mode connections are only accepted "
         "from the loopback interface. If you want to connect from external computers to Redis "
         "you may adopt one of the following solutions: 1) Just disable protected mode sending "
         "the command 'CONFIG SET protected-mode no' from the loopback interface by connecting "
         "to Redis from the same host the server is running, however MAKE SURE Redis is not "
         "publicly accessible from internet if you do so. Use CONFIG REWRITE to make this "
         "change permanent. 2) Alternatively you can just disable the protected mode by editing "
         "the Redis configuration file, and setting the protected mode option to 'no', and then "
         "restarting the server. 3) If you started the server manually just for testing, "
         "restart it with the '--protected-mode no' option. 4) Setup a an authentication "
         "password for the default user. NOTE: You only need to do one of the above things in "
         "order for the server to start accepting connections from the outside.\r\n";
}

}  // namespace ringcache::server
