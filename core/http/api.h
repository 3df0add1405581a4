#pragma once
// The HTTP API of one node: maps a Request to a Response. No sockets here — the connection loop
// (core/node/http_connection) parses and writes bytes; a cluster router could sit between the
// two later and hand a request to another node instead.
//
//   /cache/{key}   GET HEAD PUT DELETE   (see cache_resource.h)
//   /health        GET HEAD              200 while the process runs
//   /ready         GET HEAD              200 when serving, 503 while loading or shutting down
//   /metrics       GET HEAD              Prometheus text format
// Other paths: 404; other methods: 405 with Allow. With requirepass set, /cache and /metrics
// need "Authorization: Bearer <password>" (401 otherwise); /health and /ready never do, so
// probes work without the secret.

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

  server::Server& server_;
  server::Client& client_;
  CacheResource cache_;
};

}  // namespace ringcache::http
