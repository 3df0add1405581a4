#include "runtime/real/tls_stream.h"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <vector>

#include "runtime/real/io_wait.h"
#include "runtime/real/real_constants.h"
#include "runtime/real/steady_clock.h"
#include "runtime/real/tls_context.h"
#include "runtime/real/write_turns.h"

namespace ringcache::real {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;
using boost::system::error_code;

// The SSL stream and what outlives the Stream object: a close_notify still on its way.
struct Channel {
  Channel(tcp::socket socket, ssl::context& context)
      : ssl(std::move(socket), context), timer(ssl.get_executor()) {}
  ssl::stream<tcp::socket> ssl;
  asio::steady_timer timer;
};

// Why a handshake failed, in words an operator can act on: OpenSSL's reason, the certificate
// check's verdict when there was one, and a hint when the peer spoke something other than TLS.
std::string handshake_failure(const error_code& ec, SSL* native) {
  std::string reason = ec.message();
  const long verdict = SSL_get_verify_result(native);
  if (verdict != X509_V_OK) {
    reason += fmt::format(" (certificate refused: {})", X509_verify_cert_error_string(verdict));
  }
  if (ec.category() == asio::error::get_ssl_category()) {
    const int code = ERR_GET_REASON(static_cast<unsigned long>(ec.value()));
    if (code == SSL_R_WRONG_VERSION_NUMBER || code == SSL_R_HTTP_REQUEST ||
        code == SSL_R_PACKET_LENGTH_TOO_LONG) {
      reason += " (not TLS: plain text on a TLS port?)";
    }
  }
  return reason;
}

bool quiet_end(const error_code& ec) {
  return ec == asio::error::eof || ec == ssl::error::stream_truncated ||
         ec == asio::error::connection_reset;
}

class TlsStream final : public Stream {
 public:
  TlsStream(fiber::ParkSite& site, std::shared_ptr<ssl::context> context, tcp::socket socket,
            ssl::stream_base::handshake_type role, const LogFunction& log)
      : site_(site), context_(std::move(context)), role_(role), log_(log) {
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    peer_ = real::endpoint_text(socket, true);
    local_ = real::endpoint_text(socket, false);
    channel_ = std::make_shared<Channel>(std::move(socket), *context_);
  }
  ~TlsStream() override {
    RING_ASSERT_MSG(!reading_ && !turns_.writing() && !handshaking_,
                    "Stream destroyed while a fiber waits on it");
    close();
  }

  Result<size_t> read_some(std::span<char> buffer) override;
  // OpenSSL may hold decrypted bytes the socket no longer shows: a TLS reader keeps its
  // buffer while it waits.
  void wait_readable() override {}
  Status write(std::string_view data) override;
  void close() override;
  std::string peer_address() const override { return peer_; }
  std::string local_address() const override { return local_; }

 private:
  Status handshake();
  Status run_handshake();
  void log_failure(const std::string& reason, bool quiet);

  fiber::ParkSite& site_;
  std::shared_ptr<ssl::context> context_;  // outlives the SSL object made from it
  std::shared_ptr<Channel> channel_;
  ssl::stream_base::handshake_type role_;
  const LogFunction& log_;
  std::string peer_, local_;
  bool closed_ = false;
  bool reading_ = false;
  bool handshaking_ = false;
  bool handshake_done_ = false;
  std::string handshake_error_;            // set once a handshake failed
  std::vector<fiber::Parker*> handshake_waiters_;  // fibers waiting for another's handshake
  WriteTurns turns_;
};

// Runs the handshake once, in the first fiber that reads or writes; another fiber arriving
// meanwhile waits for its outcome.
Status TlsStream::handshake() {
  while (handshaking_ && !closed_) {
    fiber::Parker parker;
    handshake_waiters_.push_back(&parker);
    fiber::park_until(site_, parker, std::nullopt);
    std::erase(handshake_waiters_, &parker);
  }
  if (closed_) return {Errc::closed, "TLS: stream closed"};
  if (!handshake_error_.empty()) return {Errc::reset, handshake_error_};
  if (handshake_done_) return Status::ok();
  handshaking_ = true;
  Status status = run_handshake();
  handshaking_ = false;
  for (fiber::Parker* waiter : handshake_waiters_) waiter->unpark();
  return status;
}

Status TlsStream::run_handshake() {
  IoWait wait;
  channel_->ssl.async_handshake(role_, wait.handler());
  const int64_t deadline = steady_now_ns() + ms_to_ns(constants::tls_handshake_timeout_ms);
  if (!wait.wait(site_, deadline)) {
    error_code ignored;
    channel_->ssl.lowest_layer().cancel(ignored);
    wait.wait(site_);  // the handler refers to `wait`: let it run
    if (!closed_) {
      handshake_error_ = fmt::format("TLS handshake timed out after {} ms",
                                     constants::tls_handshake_timeout_ms);
      log_failure(handshake_error_, false);
      return {Errc::reset, handshake_error_};
    }
  }
  if (closed_) return {Errc::closed, "TLS: stream closed"};
  if (wait.error()) {
    handshake_error_ = "TLS handshake failed: " +
                       handshake_failure(wait.error(), channel_->ssl.native_handle());
    log_failure(handshake_error_, quiet_end(wait.error()));
    return {Errc::reset, handshake_error_};
  }
  handshake_done_ = true;
  return Status::ok();
}

void TlsStream::log_failure(const std::string& reason, bool quiet) {
  // A peer that hangs up before speaking (a port probe, a health check) is not worth a notice.
  const LogLevel level = quiet ? LogLevel::verbose : LogLevel::notice;
  if (role_ == ssl::stream_base::server) {
    log_(level, fmt::format("Error accepting a client connection: {} (addr={} laddr={})", reason,
                            peer_, local_));
  } else {
    log_(level, fmt::format("Error connecting to {}: {}", peer_, reason));
  }
}

Result<size_t> TlsStream::read_some(std::span<char> buffer) {
  RING_ASSERT_MSG(!reading_, "two fibers read one Stream");
  RING_ASSERT(!buffer.empty());
  if (closed_) return Status(Errc::closed, "read: stream closed");
  reading_ = true;
  Status ready = handshake();
  if (!ready) {
    reading_ = false;
    return ready;
  }
  IoWait wait;
  channel_->ssl.async_read_some(asio::buffer(buffer.data(), buffer.size()), wait.handler());
  wait.wait(site_);
  reading_ = false;
  if (closed_) return Status(Errc::closed, "read: stream closed");
  if (wait.error() == ssl::error::stream_truncated) {
    return Status(Errc::closed, "read: closed");  // the peer hung up without close_notify
  }
  if (wait.error()) return stream_error(wait.error(), "read");
  return wait.bytes();
}

Status TlsStream::write(std::string_view data) {
  if (closed_) return {Errc::closed, "write: stream closed"};
  turns_.wait(site_, closed_);
  Status status = closed_ ? Status(Errc::closed, "write: stream closed") : handshake();
  if (status) {
    IoWait wait;
    asio::async_write(channel_->ssl, asio::buffer(data.data(), data.size()), wait.handler());
    wait.wait(site_);
    if (closed_) {
      status = Status(Errc::closed, "write: stream closed");
    } else if (wait.error()) {
      status = stream_error(wait.error(), "write");
    }
  }
  turns_.done();
  return status;
}

// With the handshake done and nothing in flight, the peer gets a close_notify (so it can tell
// the end from a cut), waited for at most close_linger_ms; otherwise the TCP connection ends
// as a plain stream's does.
void TlsStream::close() {
  if (closed_) return;
  closed_ = true;
  turns_.wake_all();
  for (fiber::Parker* waiter : handshake_waiters_) waiter->unpark();
  error_code ec;
  tcp::socket& socket = channel_->ssl.next_layer();
  if (handshake_done_ && !reading_ && !turns_.writing()) {
    std::shared_ptr<Channel> channel = channel_;
    channel->timer.expires_after(std::chrono::milliseconds(constants::close_linger_ms));
    channel->timer.async_wait([channel](const error_code& timer_ec) {
      error_code ignored;
      if (!timer_ec) channel->ssl.next_layer().close(ignored);
    });
    channel->ssl.async_shutdown([channel](const error_code&) {
      error_code ignored;
      channel->timer.cancel(ignored);
      channel->ssl.next_layer().close(ignored);
    });
    return;
  }
  socket.cancel(ec);  // a parked reader, writer or handshake wakes with operation_aborted
  socket.shutdown(tcp::socket::shutdown_send, ec);
  if (ec) {
    socket.close(ec);
    return;
  }
  close_lingering(std::move(socket));
}

}  // namespace

Status TlsContexts::configure(const TlsSettings& settings) {
  auto server = make_server_tls_context(settings);
  if (!server) return server.status();
  auto client = make_client_tls_context(settings);
  if (!client) return client.status();
  server_ = std::move(server.value());
  client_ = std::move(client.value());
  return Status::ok();
}

Result<std::unique_ptr<Listener>> TlsContexts::listen(NetContext net, const std::string& host,
                                                      uint16_t port) {
  if (server_ == nullptr) return Status(Errc::invalid_argument, "TLS is not configured");
  return listen_tcp(net, host, port, [this, site = &net.site](tcp::socket socket) {
    return std::unique_ptr<Stream>(
        new TlsStream(*site, server_, std::move(socket), ssl::stream_base::server, log_));
  });
}

Result<std::unique_ptr<Stream>> TlsContexts::connect(NetContext net, const std::string& host,
                                                     uint16_t port) {
  if (client_ == nullptr) return Status(Errc::invalid_argument, "TLS is not configured");
  Result<tcp::socket> socket = connect_socket(net, host, port);
  if (!socket) return socket.status();
  return std::unique_ptr<Stream>(new TlsStream(net.site, client_, std::move(socket.value()),
                                               ssl::stream_base::client, log_));
}

}  // namespace ringcache::real
