#pragma once
// Node: one cache node wired onto a Runtime — the client listener, the HTTP API listener (when
// http-port is set), one fiber per connection, and the cron fiber (active expiry, timeouts,
// statistics). The same class runs in production and in the simulator.

#include <memory>

#include "core/server/server.h"
#include "core/runtime.h"

namespace ringcache::node {

class Node {
 public:
  Node(Runtime& runtime, server::Config config);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Configures TLS when a tls-* port or link asks for it, listens on bind:port (none when port
  // is 0 and tls-port is set), http-port, tls-port and tls-http-port, and starts the node's
  // fibers. Errors: the TLS configuration's or a listen error.
  Status start();
  // Stops accepting, closes every client; fibers end soon after. Never suspends.
  void request_shutdown();
  // True once shutdown was requested (SHUTDOWN or request_shutdown) and every fiber has ended.
  bool stopped() const;
  // The port actually bound.
  uint16_t port() const;
  // The HTTP API's port; 0 when http-port is off.
  uint16_t http_port() const;
  // The TLS ports actually bound; 0 when off.
  uint16_t tls_port() const;
  uint16_t tls_http_port() const;
  server::Server& server() { return server_; }

 private:
  Status open_listeners();
  void start_fibers();
  // CONFIG SET port (Server::PortChanger).
  Result<uint16_t> move_port(uint16_t port);

  struct Impl;
  Runtime& runtime_;
  server::Server server_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ringcache::node
