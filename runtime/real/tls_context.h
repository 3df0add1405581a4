#pragma once
// OpenSSL contexts built from the tls-* settings (private to runtime/real).

#include <boost/asio/ssl/context.hpp>
#include <memory>

#include "core/runtime.h"

namespace ringcache::real {

// The context of accepted TLS streams: the node's certificate, the client check of
// tls-auth-clients, protocols, ciphers and the session cache. Errors: invalid_argument naming the
// setting or file at fault, with OpenSSL's reason.
Result<std::shared_ptr<boost::asio::ssl::context>> make_server_tls_context(
    const TlsSettings& settings);
// The context of connected TLS streams (replication, cluster): the same certificate as a client
// certificate, and the peer checked against the same CA. Errors as above.
Result<std::shared_ptr<boost::asio::ssl::context>> make_client_tls_context(
    const TlsSettings& settings);

}  // namespace ringcache::real
