#include "runtime/real/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cctype>
#include <sstream>


namespace ringcache::real {
namespace {

namespace ssl = boost::asio::ssl;
using boost::system::error_code;
using ContextPtr = std::shared_ptr<ssl::context>;

Status failed(const std::string& what, const std::string& why) {
  return Status(Errc::invalid_argument, what + ": " + why);
}

// The reason of OpenSSL's latest error, for calls that report through its error queue.
std::string openssl_reason() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

// tls-protocols: the versions named are allowed, the others refused (as Redis, case-insensitive).
Result<long> protocol_options(const std::string& protocols) {
  if (protocols.empty()) return long{SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1};
  long allowed_none = SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 | SSL_OP_NO_TLSv1_2 | SSL_OP_NO_TLSv1_3;
  long options = allowed_none;
  std::istringstream words(protocols);
  std::string word;
  while (words >> word) {
    for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (word == "tlsv1") {
      options &= ~SSL_OP_NO_TLSv1;
    } else if (word == "tlsv1.1") {
      options &= ~SSL_OP_NO_TLSv1_1;
    } else if (word == "tlsv1.2") {
      options &= ~SSL_OP_NO_TLSv1_2;
    } else if (word == "tlsv1.3") {
      options &= ~SSL_OP_NO_TLSv1_3;
    } else {
      return Status(Errc::invalid_argument,
                    "Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', "
                    "'TLSv1.2' and 'TLSv1.3'.");
    }
  }
  if (options == allowed_none) {
    return Status(Errc::invalid_argument, "tls-protocols allows no protocol");
  }
  return options;
}

// What both contexts share: protocols, ciphers, the certificate and key, the CA.
Status configure_common(ssl::context& context, const TlsSettings& settings) {
  SSL_CTX* native = context.native_handle();
  Result<long> protocols = protocol_options(settings.protocols);
  if (!protocols) return protocols.status();
  SSL_CTX_set_options(native, SSL_OP_NO_SSLv2 | SSL_OP_NO_SSLv3 | SSL_OP_NO_COMPRESSION |
                                  SSL_OP_SINGLE_DH_USE | protocols.value());
  if (settings.prefer_server_ciphers) SSL_CTX_set_options(native, SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (!settings.ciphers.empty() &&
      SSL_CTX_set_cipher_list(native, settings.ciphers.c_str()) != 1) {
    return failed("Failed to configure tls-ciphers", openssl_reason());
  }
  if (!settings.ciphersuites.empty() &&
      SSL_CTX_set_ciphersuites(native, settings.ciphersuites.c_str()) != 1) {
    return failed("Failed to configure tls-ciphersuites", openssl_reason());
  }
  error_code ec;
  if (!settings.key_file_pass.empty()) {
    context.set_password_callback(
        [pass = settings.key_file_pass](size_t, ssl::context::password_purpose) { return pass; },
        ec);
  }
  if (settings.cert_file.empty()) return failed("Failed to configure TLS", "no tls-cert-file");
  if (settings.key_file.empty()) return failed("Failed to configure TLS", "no tls-key-file");
  ERR_clear_error();
  if (SSL_CTX_use_certificate_chain_file(native, settings.cert_file.c_str()) != 1) {
    return failed("Failed to load certificate " + settings.cert_file, openssl_reason());
  }
  if (SSL_CTX_use_PrivateKey_file(native, settings.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return failed("Failed to load private key " + settings.key_file, openssl_reason());
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return failed("Private key " + settings.key_file + " does not match the certificate",
                  openssl_reason());
  }
  if (!settings.ca_cert_file.empty() || !settings.ca_cert_dir.empty()) {
    const char* file = settings.ca_cert_file.empty() ? nullptr : settings.ca_cert_file.c_str();
    const char* dir = settings.ca_cert_dir.empty() ? nullptr : settings.ca_cert_dir.c_str();
    if (SSL_CTX_load_verify_locations(native, file, dir) != 1) {
      return failed("Failed to configure CA certificate(s) file/directory", openssl_reason());
    }
  }
  return Status::ok();
}

ssl::verify_mode client_verify_mode(TlsClientAuth auth) {
  switch (auth) {
    case TlsClientAuth::no:
      return ssl::verify_none;
    case TlsClientAuth::optional:
      return ssl::verify_peer;
    case TlsClientAuth::yes:
      break;
  }
  return ssl::verify_peer | ssl::verify_fail_if_no_peer_cert;
}

void configure_session_cache(SSL_CTX* native, const TlsSettings& settings) {
  if (!settings.session_caching) {
    SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(native, SSL_OP_NO_TICKET);
    return;
  }
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_SERVER);
  if (settings.session_cache_size > 0) {
    SSL_CTX_sess_set_cache_size(native, settings.session_cache_size);
  }
  SSL_CTX_set_timeout(native, settings.session_cache_timeout_s);
  // Resumed sessions must be tied to this server when clients are checked.
  static constexpr unsigned char session_id[] = "ringcache";
  SSL_CTX_set_session_id_context(native, session_id, sizeof session_id - 1);
}

}  // namespace

Result<ContextPtr> make_server_tls_context(const TlsSettings& settings) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  if (Status status = configure_common(*context, settings); !status) return status;
  if (settings.auth_clients != TlsClientAuth::no && settings.ca_cert_file.empty() &&
      settings.ca_cert_dir.empty()) {
    return failed("Failed to configure TLS",
                  "either tls-ca-cert-file or tls-ca-cert-dir must be set when tls-auth-clients "
                  "is yes or optional");
  }
  error_code ec;
  context->set_verify_mode(client_verify_mode(settings.auth_clients), ec);
  configure_session_cache(context->native_handle(), settings);
  return context;
}

Result<ContextPtr> make_client_tls_context(const TlsSettings& settings) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  if (Status status = configure_common(*context, settings); !status) return status;
  error_code ec;
  if (settings.ca_cert_file.empty() && settings.ca_cert_dir.empty()) {
    context->set_default_verify_paths(ec);
  }
  context->set_verify_mode(ssl::verify_peer, ec);
  return context;
}

}  // namespace ringcache::real
