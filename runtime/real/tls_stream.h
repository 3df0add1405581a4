#pragma once
// TLS streams and listeners on Boost.Asio's SSL streams (private to runtime/real).

#include <boost/asio/ssl/context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/runtime.h"
#include "runtime/real/net.h"

namespace ringcache::real {

using LogFunction = std::function<void(LogLevel, std::string_view)>;

// The runtime's TLS contexts, replaced whole by configure(); streams keep the context they were
// made with, so a reload reaches new connections only.
class TlsContexts {
 public:
  explicit TlsContexts(LogFunction log) : log_(std::move(log)) {}
  // Errors: invalid_argument (see make_server_tls_context); the previous contexts then stay.
  Status configure(const TlsSettings& settings);
  // Errors: as listen_tcp, and invalid_argument before configure() succeeded.
  Result<std::unique_ptr<Listener>> listen(NetContext net, const std::string& host,
                                           uint16_t port);
  // Suspending. Errors: as connect_tcp, and invalid_argument before configure() succeeded.
  Result<std::unique_ptr<Stream>> connect(NetContext net, const std::string& host,
                                          uint16_t port);

 private:
  std::shared_ptr<boost::asio::ssl::context> server_;
  std::shared_ptr<boost::asio::ssl::context> client_;
  LogFunction log_;
};

}  // namespace ringcache::real
