#include "core/http/api.h"

#include <fmt/format.h>

#include "core/http/response_writer.h"
#include "core/protocol/json_writer.h"
#include "core/protocol/url.h"

namespace ringcache::http {
namespace {

constexpr std::string_view cache_prefix = "/cache/";
constexpr std::string_view cache_methods = "GET, HEAD, PUT, DELETE";
constexpr std::string_view read_methods = "GET, HEAD";

bool is_get(std::string_view method) { return method == "GET" || method == "HEAD"; }

void method_not_allowed(std::string_view allowed, Response& response) {
  set_json_error(response, 405, "method not allowed");
  response.extra_headers = fmt::format("Allow: {}\r\n", allowed);
}

void status_body(int status, std::string_view text, Response& response) {
  response.status = status;
  response.body.clear();
  protocol::JsonWriter(response.body).begin_object().key("status").string(text).end_object();
}

// The value of ?encoding=; false (after answering 400) for anything else in the query.
bool read_encoding(std::string_view query, ValueEncoding& encoding, Response& response) {
  return protocol::for_each_query_parameter(query, [&](std::string_view name,
                                                       std::string_view value) {
    if (name == "encoding" && (value == "base64" || value == "text")) {
      encoding = value == "base64" ? ValueEncoding::base64 : ValueEncoding::text;
      return true;
    }
    set_json_error(response, 400,
                   name == "encoding" ? "encoding must be base64 or text"
                                      : fmt::format("unknown query parameter \"{}\"", name));
    return false;
  });
}

}  // namespace

void Api::handle(const Request& request, Response& response) {
  response = Response{};
  const protocol::Target target = protocol::split_target(request.target);
  if (target.path.starts_with(cache_prefix)) {
    return handle_cache(request, target.path.substr(cache_prefix.size()), target.query, response);
  }
  if (target.path == "/health" || target.path == "/ready" || target.path == "/metrics") {
    if (!is_get(request.method)) return method_not_allowed(read_methods, response);
  }
  if (target.path == "/health") return status_body(200, "ok", response);
  if (target.path == "/ready") {
    if (server_.shutdown_requested()) return status_body(503, "shutting down", response);
    return status_body(200, "ready", response);
  }
  if (target.path == "/metrics") {
    if (!authorized(request, response)) return;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body.clear();
    server_.metrics().render(response.body);
    return;
  }
  set_json_error(response, 404, "no such endpoint");
}

void Api::handle_cache(const Request& request, std::string_view encoded_key,
                       std::string_view query, Response& response) {
  // A key is one path segment: a '/' inside it travels as %2F.
  if (encoded_key.empty() || encoded_key.find('/') != std::string_view::npos) {
    return set_json_error(response, 404, "no such endpoint");
  }
  const bool get = is_get(request.method);
  if (!get && request.method != "PUT" && request.method != "DELETE") {
    return method_not_allowed(cache_methods, response);
  }
  ValueEncoding encoding = ValueEncoding::text;
  if (!read_encoding(query, encoding, response)) return;
  const auto key = protocol::percent_decode(encoded_key);
  if (!key) return set_json_error(response, 400, "malformed percent-encoding in the key");
  if (key->size() > constants::http_key_bytes_max) {
    return set_json_error(response, 414, fmt::format("key longer than {} bytes",
                                                     constants::http_key_bytes_max));
  }
  if (!authorized(request, response)) return;
  if (get) return cache_.get(*key, encoding, response);
  if (request.method == "PUT") return cache_.put(*key, encoding, request.body, response);
  cache_.del(*key, response);
}

// With requirepass, the request must carry it as a bearer token; answers 401 when not.
bool Api::authorized(const Request& request, Response& response) {
  const std::string& password = server_.config().requirepass;
  constexpr std::string_view scheme = "Bearer ";
  client_.authenticated = password.empty() || (request.authorization.starts_with(scheme) &&
                                               request.authorization.substr(scheme.size()) ==
                                                   password);
  if (client_.authenticated) return true;
  set_json_error(response, 401, "authentication required");
  response.extra_headers = "WWW-Authenticate: Bearer realm=\"ringcache\"\r\n";
  return false;
}

}  // namespace ringcache::http
