#include "core/http/api.h"

#include <fmt/format.h>

#include <array>

#include "core/commands/acl_check.h"
#include "core/http/response_writer.h"
#include "core/protocol/base64.h"
#include "core/protocol/json_writer.h"
#include "core/protocol/url.h"

namespace ringcache::http {
namespace {

constexpr std::string_view cache_prefix = "/cache/";
constexpr std::string_view cache_methods = "GET, HEAD, PUT, DELETE";
constexpr std::string_view read_methods = "GET, HEAD";
constexpr std::string_view basic_scheme = "Basic ";
constexpr std::string_view bearer_scheme = "Bearer ";

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
    if (!authorized(request, response) || !may_read_metrics(response)) return;
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

// Who the request acts as: "Authorization: Basic base64(user:password)" logs in as an ACL user,
// "Bearer <token>" as the user that has the token among its passwords (Acl::token_owner; the
// default user's is requirepass), no header is the default user when it needs no password.
// Anything else answers 401, the same for a wrong password, an unknown user or token and a user
// that is off.
bool Api::authorized(const Request& request, Response& response) {
  std::string user = "default";
  std::string password;
  const std::string_view header = request.authorization;
  bool credentials = true;
  if (header.starts_with(basic_scheme)) {
    const std::optional<std::string> decoded = protocol::base64_decode(header.substr(basic_scheme.size()));
    const size_t colon = decoded ? decoded->find(':') : std::string::npos;
    credentials = colon != std::string::npos;
    if (credentials) {
      user = decoded->substr(0, colon);
      password = decoded->substr(colon + 1);
    }
  } else if (header.starts_with(bearer_scheme)) {
    password = header.substr(bearer_scheme.size());
    user = server_.acl().token_owner(password);
    credentials = !user.empty();  // a token that names nobody is refused, never anonymous
  } else if (header.empty() && !server_.acl().auth_required()) {
    client_.user = server_.acl().default_user();
    client_.authenticated = true;
    return true;
  } else {
    credentials = false;
  }
  if (credentials && commands::authenticate(server_, client_, user, password, "auth")) return true;
  client_.authenticated = false;
  set_json_error(response, 401, "authentication required");
  response.extra_headers =
      "WWW-Authenticate: Basic realm=\"ringcache\"\r\nWWW-Authenticate: Bearer "
      "realm=\"ringcache\"\r\n";
  return false;
}

// /metrics tells what INFO tells: the user needs the permission to run INFO (403 otherwise).
bool Api::may_read_metrics(Response& response) {
  const std::array<std::string_view, 1> argv{"info"};
  const server::CommandSpec* info = server_.commands().find("info");
  if (info == nullptr || commands::acl_check(server_, client_, *info, argv,
                                             commands::AclContext::toplevel).allowed()) {
    return true;
  }
  set_json_error(response, 403, "forbidden");
  return false;
}

}  // namespace ringcache::http
