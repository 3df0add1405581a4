// protected-mode and the tls-* options (docs/security.md). The TLS settings are only stored
// here; the runtime builds its contexts from them at start and on CONFIG SET (which refuses a
// change the runtime cannot load: commands/server/server_config.cpp).

#include "core/server/config/config_options.h"

namespace ringcache::server {
namespace {

template <std::string TlsSettings::*field>
Option tls_text(std::string_view name) {
  return {name, true, false,
          [](Config& c, std::string_view v) {
            c.tls.settings.*field = std::string(v);
            return Status::ok();
          },
          [](const Config& c) { return c.tls.settings.*field; }};
}

template <bool TlsSettings::*field>
Option tls_yes_no(std::string_view name) {
  return {name, true, false,
          [](Config& c, std::string_view v) {
            return store(parse_yes_no(v), [&](bool on) { c.tls.settings.*field = on; });
          },
          [](const Config& c) { return std::string(c.tls.settings.*field ? "yes" : "no"); }};
}

template <int64_t TlsSettings::*field>
Option tls_count(std::string_view name) {
  return {name, true, false,
          [](Config& c, std::string_view v) {
            return store(parse_bounded_int(v, 0, long_long_max),
                         [&](int64_t n) { c.tls.settings.*field = n; });
          },
          [](const Config& c) { return number(c.tls.settings.*field); }};
}

template <uint16_t TlsOptions::*field>
Option tls_port(std::string_view name) {
  return {name, false, false,
          [](Config& c, std::string_view v) {
            return store(parse_bounded_int(v, 0, 65535),
                         [&](int64_t port) { c.tls.*field = static_cast<uint16_t>(port); });
          },
          [](const Config& c) { return number(c.tls.*field); }};
}

template <bool TlsOptions::*field>
Option tls_link(std::string_view name) {
  return {name, true, false,
          [](Config& c, std::string_view v) {
            return store(parse_yes_no(v), [&](bool on) { c.tls.*field = on; });
          },
          [](const Config& c) { return std::string(c.tls.*field ? "yes" : "no"); }};
}

Status set_auth_clients(Config& c, std::string_view value) {
  return store(parse_choice(value, {"no", "yes", "optional"}), [&](const std::string& choice) {
    c.tls.settings.auth_clients = choice == "no"    ? TlsClientAuth::no
                                  : choice == "yes" ? TlsClientAuth::yes
                                                    : TlsClientAuth::optional;
  });
}

std::string get_auth_clients(const Config& c) {
  switch (c.tls.settings.auth_clients) {
    case TlsClientAuth::no:
      return "no";
    case TlsClientAuth::optional:
      return "optional";
    case TlsClientAuth::yes:
      break;
  }
  return "yes";
}

}  // namespace

std::vector<Option> security_options() {
  return {
      {"protected-mode", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_yes_no(v), [&](bool on) { c.protected_mode = on; });
       },
       [](const Config& c) { return std::string(c.protected_mode ? "yes" : "no"); }},
      tls_port<&TlsOptions::port>("tls-port"),
      tls_port<&TlsOptions::http_port>("tls-http-port"),
      tls_link<&TlsOptions::replication>("tls-replication"),
      tls_link<&TlsOptions::cluster>("tls-cluster"),
      tls_text<&TlsSettings::cert_file>("tls-cert-file"),
      tls_text<&TlsSettings::key_file>("tls-key-file"),
      tls_text<&TlsSettings::key_file_pass>("tls-key-file-pass"),
      tls_text<&TlsSettings::ca_cert_file>("tls-ca-cert-file"),
      tls_text<&TlsSettings::ca_cert_dir>("tls-ca-cert-dir"),
      {"tls-auth-clients", true, false, set_auth_clients, get_auth_clients},
      tls_text<&TlsSettings::protocols>("tls-protocols"),
      tls_text<&TlsSettings::ciphers>("tls-ciphers"),
      tls_text<&TlsSettings::ciphersuites>("tls-ciphersuites"),
      tls_yes_no<&TlsSettings::prefer_server_ciphers>("tls-prefer-server-ciphers"),
      tls_yes_no<&TlsSettings::session_caching>("tls-session-caching"),
      tls_count<&TlsSettings::session_cache_size>("tls-session-cache-size"),
      tls_count<&TlsSettings::session_cache_timeout_s>("tls-session-cache-timeout"),
  };
}

}  // namespace ringcache::server
