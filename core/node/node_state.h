#pragma once
// What the node's fibers share (internal to core/node): the server, the listeners, the live
// connections, the fiber count that tells when the node has stopped, and the shutdown switch.

#include <cstdint>
#include <map>
#include <functional>
#include <memory>
#include <vector>

#include "core/server/server.h"
#include "core/runtime.h"

namespace ringcache::replication {
class Replication;
}  // namespace ringcache::replication

namespace ringcache::node {

class Connection;

struct NodeState {
  NodeState(Runtime& runtime, server::Server& server)
      : runtime(runtime), server(server), cron_wakeup(runtime.make_wait_queue()) {}

  Runtime& runtime;
  server::Server& server;
  std::unique_ptr<Listener> listener;       // null when port is 0 and tls-port is set
  uint16_t port = 0;
  // Listeners CONFIG SET port closed: kept until the node goes, as their acceptor fibers may
  // not have woken from accept yet.
  std::vector<std::unique_ptr<Listener>> closed_listeners;
  std::unique_ptr<Listener> http_listener;  // null when http-port is 0
  uint16_t http_port = 0;
  std::unique_ptr<Listener> tls_listener;   // RESP over TLS; null when tls-port is 0
  uint16_t tls_port = 0;
  std::unique_ptr<Listener> tls_http_listener;  // null when tls-http-port is 0
  uint16_t tls_http_port = 0;
  std::unique_ptr<DatagramSocket> bus_socket;  // the cluster bus; null without cluster mode
  std::map<uint64_t, Connection*> connections;  // RESP and HTTP, by client id
  replication::Replication* replication = nullptr;  // the node's; set before fibers start
  std::unique_ptr<WaitQueue> cron_wakeup;       // lets shutdown end the cron's sleep at once
  // Called by shutdown(): wakes fibers parked on queues of their own (replication's).
  std::vector<std::function<void()>> shutdown_hooks;
  size_t live_fibers = 0;
  bool shutting_down = false;

  // Closes every listener that is open. Never suspends.
  void close_listeners();
  // Stops accepting, closes every connection and wakes the cron; fibers then end. Idempotent.
  void shutdown();
  // Starts `body` on a fiber counted in live_fibers (the count drops however the body ends,
  // also when the simulator unwinds it with NodeCrashed).
  void spawn_counted(std::string name, std::function<void()> body);
};

}  // namespace ringcache::node
