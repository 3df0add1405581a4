#pragma once
// TCP streams and listeners on Boost.Asio (private to runtime/real).

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <functional>
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

// Turns an accepted socket into the Stream the listener hands out (TLS wraps it).
using StreamMaker = std::function<std::unique_ptr<Stream>(boost::asio::ip::tcp::socket)>;

// Errors: address_in_use, invalid_argument (bad host), io_error. No `make`: plain TCP streams.
Result<std::unique_ptr<Listener>> listen_tcp(NetContext net, const std::string& host,
                                             uint16_t port, StreamMaker make = {});
// Suspending. Errors: refused, timed_out, invalid_argument (bad host).
Result<std::unique_ptr<Stream>> connect_tcp(NetContext net, const std::string& host,
                                            uint16_t port);
// Suspending. The connected socket itself, for a stream to wrap. Errors as connect_tcp.
Result<boost::asio::ip::tcp::socket> connect_socket(NetContext net, const std::string& host,
                                                    uint16_t port);

// What the streams share.
// "ip:port" of either end of a socket ("?:0" when unknown).
std::string endpoint_text(const boost::asio::ip::tcp::socket& socket, bool remote);
// A failed read or write as a Status: closed (end of stream, cancelled) or reset.
Status stream_error(const boost::system::error_code& ec, const char* what);
// Takes over a socket whose sending side was shut down: reads and discards what the peer still
// sends, for a bounded time, then closes it (see LingeringClose in net.cpp).
void close_lingering(boost::asio::ip::tcp::socket socket);

}  // namespace ringcache::real
