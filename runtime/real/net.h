#pragma once
// TCP streams and listeners on Boost.Asio (private to runtime/real).

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>
#include <memory>
#include <string>

#include "core/runtime.h"
#include "runtime/fiber/parker.h"

namespace ringcache::real {

struct NetContext {
  boost::asio::io_context& io;
  fiber::ParkSite& site;  // timers on steady-clock ns
};

// "127.0.0.1", "::1", "*", "localhost", a host name; for bind, also Redis' list form
// "127.0.0.1 -::1", of which the first address is used. Errors: invalid_argument.
Result<boost::asio::ip::address> resolve_host(boost::asio::io_context& io, const std::string& text);
// A failed bind of `where` ("ip:port") as a Status: address_in_use, invalid_argument, io_error.
Status bind_error(const boost::system::error_code& ec, const std::string& where);

// Errors: address_in_use, invalid_argument (bad host), io_error.
Result<std::unique_ptr<Listener>> listen_tcp(NetContext net, const std::string& host,
                                             uint16_t port);
// Suspending. Errors: refused, timed_out, invalid_argument (bad host).
Result<std::unique_ptr<Stream>> connect_tcp(NetContext net, const std::string& host,
                                            uint16_t port);

}  // namespace ringcache::real
