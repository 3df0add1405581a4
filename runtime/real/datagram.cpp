// A UDP socket: sends never wait (a full socket buffer drops the message, as the network may);
// receive parks the fiber on an Asio receive with an optional deadline.

#include "runtime/real/datagram.h"

#include <boost/asio/ip/udp.hpp>

#include "core/constants.h"
#include "runtime/real/io_wait.h"

namespace ringcache::real {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;
using boost::system::error_code;

std::string endpoint_text(const udp::endpoint& endpoint) {
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

class UdpSocket final : public DatagramSocket {
 public:
  UdpSocket(NetContext net, udp::socket socket) : net_(net), socket_(std::move(socket)) {
    error_code ec;
    port_ = socket_.local_endpoint(ec).port();
    socket_.non_blocking(true, ec);
  }
  ~UdpSocket() override { close(); }

  Status send_to(const std::string& host, uint16_t port, std::string_view message) override {
    if (closed_) return {Errc::closed, "send_to: socket closed"};
    if (message.size() > constants::datagram_bytes_max) {
      return {Errc::invalid_argument, "send_to: message larger than a datagram"};
    }
    auto address = resolve_host(net_.io, host);
    if (!address) return address.status();
    error_code ec;
    socket_.send_to(asio::buffer(message.data(), message.size()), udp::endpoint(*address, port),
                    0, ec);
    // would_block (buffer full) and unreachable peers lose the message: datagram semantics.
    if (ec && ec != asio::error::would_block && ec != asio::error::connection_refused) {
      return {Errc::invalid_argument, "send_to " + host + ": " + ec.message()};
    }
    return Status::ok();
  }

  Result<Datagram> receive(std::optional<Instant> deadline) override {
    if (closed_) return Status(Errc::closed, "receive: socket closed");
    udp::endpoint sender;
    IoWait wait;
    socket_.async_receive_from(asio::buffer(buffer_), sender, wait.handler());
    std::optional<int64_t> deadline_ns;
    if (deadline) deadline_ns = deadline->time_since_epoch().count();
    const bool finished = wait.wait(net_.site, deadline_ns);
    if (!finished) {
      error_code ignored;
      socket_.cancel(ignored);
      wait.wait(net_.site);  // the handler refers to `wait`: let it run
    }
    // A message that arrived just as the deadline passed is still delivered.
    if (closed_) return Status(Errc::closed, "receive: socket closed");
    if (wait.error() == asio::error::operation_aborted) {
      return finished ? Status(Errc::closed, "receive: socket closed")
                      : Status(Errc::timed_out, "receive: timed out");
    }
    if (wait.error()) return Status(Errc::io_error, "receive: " + wait.error().message());
    return Datagram{endpoint_text(sender), std::string(buffer_.data(), wait.bytes())};
  }

  void close() override {
    if (closed_) return;
    closed_ = true;
    error_code ignored;
    socket_.close(ignored);  // a parked receive completes with operation_aborted
  }

  uint16_t port() const override { return port_; }

 private:
  NetContext net_;
  udp::socket socket_;
  uint16_t port_ = 0;
  bool closed_ = false;
  std::array<char, constants::datagram_bytes_max> buffer_{};
};

}  // namespace

Result<std::unique_ptr<DatagramSocket>> open_udp(NetContext net, const std::string& host,
                                                 uint16_t port) {
  auto address = resolve_host(net.io, host);
  if (!address) return address.status();
  const udp::endpoint endpoint(*address, port);
  udp::socket socket(net.io);
  error_code ec;
  socket.open(endpoint.protocol(), ec);
  if (!ec) socket.bind(endpoint, ec);
  if (ec) return bind_error(ec, endpoint_text(endpoint));
  return std::unique_ptr<DatagramSocket>(std::make_unique<UdpSocket>(net, std::move(socket)));
}

}  // namespace ringcache::real
