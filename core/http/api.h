#pragma once
// The HTTP API of one node: maps a Request to a Response. No sockets here — the connection loop
// (core/node/http_connection) parses and writes bytes; a cluster router could sit between the
// two later and hand a request to another node instead.
//
//   /cache/{key}   GET HEAD PUT DELETE   (see cache_resource.h)
//   /health        GET HEAD              200 while the process runs
//   /ready         GET HEAD              200 when serving, 503 while loading or shutting down
//   /metrics       GET HEAD              Prometheus text format
// Other paths: 404; other methods: 405 with Allow. /cache and /metrics act as an ACL user:
// "Authorization: Basic <user:password>", "Bearer <default user's password>", or the default
// user without a header when it needs no password (401 otherwise). Each request needs the
// permissions of the command it stands for (GET, SET, DEL; INFO for /metrics): 403 otherwise,
// with no detail. /health and /ready never need credentials, so probes work without a secret.

#include "core/http/cache_resource.h"
#include "core/http/message.h"

namespace ringcache::http {

class Api {
 public:
  // `client` is the connection's client: commands run as it, and it shows in CLIENT LIST.
  Api(server::Server& server, server::Client& client)
      : server_(server), client_(client), cache_(server, client) {}

  void handle(const Request& request, Response& response);

 private:
  void handle_cache(const Request& request, std::string_view encoded_key, std::string_view query,
                    Response& response);
  bool authorized(const Request& request, Response& response);
  bool may_read_metrics(Response& response);

  server::Server& server_;
  server::Client& client_;
  CacheResource cache_;
};

}  // namespace ringcache::http
