#pragma once
// protected-mode, as Redis 7.0: while the default user needs no password, only clients on the
// loopback interface are let in; the others get an -DENIED error that says how to open up.

#include <string_view>

#include "core/server/server.h"

namespace ringcache::server {

// Whether the default user logs in without a password (its nopass flag: no requirepass, and no
// ACL SETUSER default with a password).
bool default_user_nopass(const Server& server);

// Whether a client connecting from `peer_address` ("ip:port") is turned away: protected mode is
// on, the default user needs no password, and the peer is not on the loopback interface.
bool protected_mode_refuses(const Server& server, std::string_view peer_address);

// What a turned-away client reads before the connection closes (Redis 7.0.15's words).
std::string_view protected_mode_denied_reply();

}  // namespace ringcache::server
