#pragma once
// UDP sockets on Boost.Asio behind core's DatagramSocket (private to runtime/real).

#include <memory>
#include <string>

#include "core/runtime.h"
#include "runtime/real/net.h"

namespace ringcache::real {

// Errors: address_in_use, invalid_argument (bad host), io_error.
Result<std::unique_ptr<DatagramSocket>> open_udp(NetContext net, const std::string& host,
                                                 uint16_t port);

}  // namespace ringcache::real
