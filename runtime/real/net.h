#pragma once
// TCP streams and listeners on Boost.Asio (private to runtime/real).

#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>

#include "core/runtime.h"
#include "runtime/fiber/parker.h"

namespace ringcache::real {

struct NetContext {
  boost::asio::io_context& io;
  fiber::ParkSite& site;  // timers on steady-clock ns
};

// Errors: address_in_use, invalid_argument (bad host), io_error.
Result<std::unique_ptr<Listener>> listen_tcp(NetContext net, const std::string& host,
                                             uint16_t port);
// Suspending. Errors: refused, timed_out, invalid_argument (bad host).
Result<std::unique_ptr<Stream>> connect_tcp(NetContext net, const std::string& host,
                                            uint16_t port);

}  // namespace ringcache::real
