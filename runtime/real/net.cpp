#include "runtime/real/net.h"

#include <array>
#include <cerrno>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <sstream>

#include "runtime/real/io_wait.h"
#include "runtime/real/real_constants.h"
#include "runtime/real/steady_clock.h"
#include "runtime/real/write_turns.h"

namespace ringcache::real {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

std::string endpoint_text(const tcp::endpoint& endpoint) {
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

}  // namespace

std::string endpoint_text(const tcp::socket& socket, bool remote) {
  error_code ec;
  tcp::endpoint endpoint = remote ? socket.remote_endpoint(ec) : socket.local_endpoint(ec);
  return ec ? std::string("?:0") : endpoint_text(endpoint);
}

Status stream_error(const error_code& ec, const char* what) {
  if (ec == asio::error::eof || ec == asio::error::operation_aborted) {
    return {Errc::closed, std::string(what) + ": closed"};
  }
  return {Errc::reset, std::string(what) + ": " + ec.message()};
}

namespace {

// Parks the calling fiber for `ms` on the runtime's timers.
void sleep_ms(fiber::ParkSite& site, int64_t ms) {
  fiber::Parker parker;
  fiber::park_until(site, parker, steady_now_ns() + ms_to_ns(ms));
}

// Takes over a closed stream's socket: FIN is on its way after the unsent bytes; reading (and
// discarding) what the peer still sends, for a bounded time, keeps the kernel from answering
// unread input with a RST that could destroy those bytes before the peer reads them.
class LingeringClose final : public std::enable_shared_from_this<LingeringClose> {
 public:
  explicit LingeringClose(tcp::socket socket)
      : socket_(std::move(socket)), timer_(socket_.get_executor()) {}

  void start() {
    timer_.expires_after(std::chrono::milliseconds(constants::close_linger_ms));
    timer_.async_wait([self = shared_from_this()](const error_code& ec) {
      if (!ec) self->finish();
    });
    read_more();
  }

 private:
  void read_more() {
    socket_.async_read_some(asio::buffer(buffer_),
                            [self = shared_from_this()](const error_code& ec, size_t bytes) {
                              self->drained_ += bytes;
                              if (ec || self->drained_ >= constants::close_drain_bytes_max) {
                                self->finish();
                              } else {
                                self->read_more();
                              }
                            });
  }
  void finish() {
    error_code ignored;
    timer_.cancel(ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  std::array<char, constants::close_drain_chunk_bytes> buffer_;
  size_t drained_ = 0;
};

}  // namespace

void close_lingering(tcp::socket socket) {
  std::make_shared<LingeringClose>(std::move(socket))->start();
}

namespace {

class AsioStream final : public Stream {
 public:
  AsioStream(fiber::ParkSite& site, tcp::socket socket) : site_(site), socket_(std::move(socket)) {
    error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    // Synchronous writes below must never block the loop thread.
    socket_.non_blocking(true, ignored);
    peer_ = real::endpoint_text(socket_, true);
    local_ = real::endpoint_text(socket_, false);
  }
  ~AsioStream() override {
    RING_ASSERT_MSG(!reading_ && !turns_.writing(), "Stream destroyed while a fiber waits on it");
    close();
  }

  Result<size_t> read_some(std::span<char> buffer) override;
  void wait_readable() override;
  Status write(std::string_view data) override;
  void close() override;
  std::string peer_address() const override { return peer_; }
  std::string local_address() const override { return local_; }

 private:
  Status write_exclusive(std::string_view data);

  fiber::ParkSite& site_;
  tcp::socket socket_;
  std::string peer_, local_;
  bool closed_ = false;
  bool reading_ = false;
  WriteTurns turns_;
};

Result<size_t> AsioStream::read_some(std::span<char> buffer) {
  RING_ASSERT_MSG(!reading_, "two fibers read one Stream");
  RING_ASSERT(!buffer.empty());
  if (closed_) return Status(Errc::closed, "read: stream closed");
  IoWait wait;
  socket_.async_read_some(asio::buffer(buffer.data(), buffer.size()), wait.handler());
  reading_ = true;
  wait.wait(site_);
  reading_ = false;
  if (closed_) return Status(Errc::closed, "read: stream closed");
  if (wait.error()) return stream_error(wait.error(), "read");
  return wait.bytes();
}

void AsioStream::wait_readable() {
  RING_ASSERT_MSG(!reading_, "two fibers read one Stream");
  if (closed_) return;
  IoWait wait;
  socket_.async_wait(tcp::socket::wait_read, wait.handler());
  reading_ = true;
  wait.wait(site_);
  reading_ = false;
}

Status AsioStream::write(std::string_view data) {
  if (closed_) return {Errc::closed, "write: stream closed"};
  turns_.wait(site_, closed_);
  Status status = closed_ ? Status(Errc::closed, "write: stream closed") : write_exclusive(data);
  turns_.done();
  return status;
}

Status AsioStream::write_exclusive(std::string_view data) {
  // Most replies fit into the socket's send buffer: write at once, without a trip through the
  // event loop; park only when the peer is slow.
  size_t written = 0;
  while (written < data.size()) {
    error_code ec;
    written += socket_.write_some(asio::buffer(data.data() + written, data.size() - written), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) break;
    if (ec) return stream_error(ec, "write");
  }
  if (written == data.size()) return Status::ok();
  IoWait wait;
  asio::async_write(socket_, asio::buffer(data.data() + written, data.size() - written),
                    wait.handler());
  wait.wait(site_);
  if (closed_) return {Errc::closed, "write: stream closed"};
  if (wait.error()) return stream_error(wait.error(), "write");
  return Status::ok();
}

void AsioStream::close() {
  if (closed_) return;
  closed_ = true;
  error_code ec;
  socket_.cancel(ec);  // a parked reader or writer wakes with operation_aborted
  turns_.wake_all();
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  if (ec) {
    socket_.close(ec);
    return;
  }
  close_lingering(std::move(socket_));
}

class AsioListener final : public Listener {
 public:
  AsioListener(NetContext net, tcp::acceptor acceptor, StreamMaker make)
      : net_(net),
        acceptor_(std::move(acceptor)),
        port_(acceptor_.local_endpoint().port()),
        make_(std::move(make)) {}
  ~AsioListener() override {
    RING_ASSERT_MSG(!accepting_, "Listener destroyed while a fiber accepts on it");
    close();
  }

  Result<std::unique_ptr<Stream>> accept() override;
  void close() override {
    if (closed_) return;
    closed_ = true;
    error_code ignored;
    acceptor_.close(ignored);  // a parked accept wakes with operation_aborted
  }
  uint16_t port() const override { return port_; }

 private:
  static bool transient(const error_code& ec) {
    return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
           ec == asio::error::no_memory || ec.value() == ENFILE;
  }

  NetContext net_;
  tcp::acceptor acceptor_;
  uint16_t port_;
  StreamMaker make_;
  bool closed_ = false;
  bool accepting_ = false;
};

Result<std::unique_ptr<Stream>> AsioListener::accept() {
  RING_ASSERT_MSG(!accepting_, "two fibers accept on one Listener");
  for (;;) {
    if (closed_) return Status(Errc::closed, "accept: listener closed");
    tcp::socket socket(net_.io);
    IoWait wait;
    acceptor_.async_accept(socket, wait.handler());
    accepting_ = true;
    wait.wait(net_.site);
    accepting_ = false;
    if (closed_) return Status(Errc::closed, "accept: listener closed");
    const error_code& ec = wait.error();
    if (!ec) return make_(std::move(socket));
    if (ec == asio::error::connection_aborted) continue;  // the peer gave up while queued
    if (!transient(ec)) return Status(Errc::io_error, "accept: " + ec.message());
    // Out of descriptors or memory: give connections in progress a moment to end.
    sleep_ms(net_.site, constants::accept_retry_delay_ms);
  }
}

}  // namespace

// "127.0.0.1", "::1", "*", "localhost", a host name; for bind, also Redis' list form
// "127.0.0.1 -::1", of which the first address is used.
Result<asio::ip::address> resolve_host(asio::io_context& io, const std::string& text) {
  std::istringstream words(text);
  std::string host;
  words >> host;
  if (!host.empty() && host[0] == '-') host.erase(0, 1);
  if (host == "*" || host.empty()) return asio::ip::address(asio::ip::address_v4::any());
  if (host == "localhost") return asio::ip::address(asio::ip::address_v4::loopback());
  error_code ec;
  asio::ip::address address = asio::ip::make_address(host, ec);
  if (!ec) return address;
  // A name: resolved with a blocking call, acceptable at start-up and for rare connects.
  tcp::resolver resolver(io);
  auto results = resolver.resolve(host, "", ec);
  if (ec || results.empty()) {
    return Status(Errc::invalid_argument, "cannot resolve host '" + host + "'");
  }
  return results.begin()->endpoint().address();
}

Status bind_error(const error_code& ec, const std::string& where) {
  if (ec == asio::error::address_in_use) {
    return {Errc::address_in_use, where + ": address already in use"};
  }
  if (ec.value() == EADDRNOTAVAIL || ec == asio::error::access_denied) {
    return {Errc::invalid_argument, where + ": " + ec.message()};
  }
  return {Errc::io_error, where + ": " + ec.message()};
}

Result<std::unique_ptr<Listener>> listen_tcp(NetContext net, const std::string& host,
                                             uint16_t port, StreamMaker make) {
  if (!make) {
    make = [site = &net.site](tcp::socket socket) {
      return std::unique_ptr<Stream>(new AsioStream(*site, std::move(socket)));
    };
  }
  auto address = resolve_host(net.io, host);
  if (!address) return address.status();
  tcp::endpoint endpoint(*address, port);
  tcp::acceptor acceptor(net.io);
  error_code ec;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(constants::listen_backlog, ec);
  if (ec) return bind_error(ec, endpoint_text(endpoint));
  return std::unique_ptr<Listener>(new AsioListener(net, std::move(acceptor), std::move(make)));
}

Result<tcp::socket> connect_socket(NetContext net, const std::string& host, uint16_t port) {
  auto address = resolve_host(net.io, host);
  if (!address) return address.status();
  tcp::endpoint endpoint(*address, port);
  tcp::socket socket(net.io);
  IoWait wait;
  socket.async_connect(endpoint, wait.handler());
  if (!wait.wait(net.site, steady_now_ns() + ms_to_ns(constants::connect_timeout_ms))) {
    error_code ignored;
    socket.close(ignored);
    wait.wait(net.site);  // the handler refers to `wait`: let it run (operation_aborted)
    return Status(Errc::timed_out, "connect " + endpoint_text(endpoint) + ": timed out");
  }
  if (wait.error()) {
    return Status(Errc::refused, "connect " + endpoint_text(endpoint) + ": " +
                                     wait.error().message());
  }
  return socket;
}

Result<std::unique_ptr<Stream>> connect_tcp(NetContext net, const std::string& host,
                                            uint16_t port) {
  Result<tcp::socket> socket = connect_socket(net, host, port);
  if (!socket) return socket.status();
  return std::unique_ptr<Stream>(new AsioStream(net.site, std::move(socket.value())));
}

}  // namespace ringcache::real
