#include "core/node/node.h"

#include <fmt/format.h>

#include <chrono>
#include <utility>
#include <vector>

#include "core/node/cluster_bus.h"
#include "core/commands/acl_file.h"
#include "core/commands/command.h"
#include "core/commands/dispatch.h"
#include "core/node/resp_connection.h"
#include "core/node/cron.h"
#include "core/node/http_connection.h"
#include "core/node/replica_link.h"
#include "core/persistence/aof.h"
#include "core/replication/replication.h"

namespace ringcache::node {

void NodeState::close_listeners() {
  for (Listener* open : {listener.get(), http_listener.get(), tls_listener.get(),
                         tls_http_listener.get()}) {
    if (open != nullptr) open->close();
  }
}

void NodeState::shutdown() {
  if (shutting_down) return;
  shutting_down = true;
  server.request_shutdown();
  close_listeners();
  if (bus_socket) bus_socket->close();
  std::vector<Connection*> open;  // copied: a closing connection may unregister itself
  for (const auto& [id, connection] : connections) open.push_back(connection);
  for (Connection* connection : open) connection->close();
  cron_wakeup->notify_all();
  for (const auto& hook : shutdown_hooks) hook();
}

void NodeState::spawn_counted(std::string name, std::function<void()> body) {
  ++live_fibers;
  runtime.spawn(std::move(name), [this, body = std::move(body)] {
    // A destructor, so the count drops also when the simulator unwinds the fiber.
    struct Done {
      size_t& count;
      ~Done() { --count; }
    } done{live_fibers};
    body();
  });
}

namespace {

// Whether the node listens for plain RESP on `port`: port 0 with a tls-port is TLS only, as
// Redis; without one, port 0 lets the runtime pick.
bool listens_plain(const server::Config& config, uint16_t port) {
  return port != 0 || config.tls.port == 0;
}

// Accepts connections on `listener` and runs each with a new `ConnectionType` on its own fiber.
template <typename ConnectionType>
void accept_loop(NodeState& node, Listener& listener, const char* fiber_name) {
  while (!node.shutting_down) {
    Result<std::unique_ptr<Stream>> accepted = listener.accept();
    if (!accepted) {
      if (accepted.code() == Errc::closed) return;
      node.runtime.log(LogLevel::warning,
                       "Accepting client connection: " + accepted.status().to_string());
      // Errors like "too many open files" persist for a while; do not spin on them.
      node.runtime.sleep_for(std::chrono::milliseconds(constants::accept_error_backoff_ms));
      continue;
    }
    std::shared_ptr<Stream> stream = std::move(accepted.value());
    if (node.shutting_down) return stream->close();
    node.spawn_counted(fiber_name, [&node, stream] {
      ConnectionType connection(node, stream);
      connection.run();
    });
  }
}

// Runs accept_loop on `listener` (when there is one) on a fiber of its own.
template <typename ConnectionType>
void spawn_acceptor(NodeState& node, Listener* listener, const char* acceptor_name,
                    const char* fiber_name) {
  if (listener == nullptr) return;
  node.spawn_counted(acceptor_name, [&node, listener, fiber_name] {
    accept_loop<ConnectionType>(node, *listener, fiber_name);
  });
}

}  // namespace

struct Node::Impl {
  Impl(Runtime& runtime, server::Server& server)
      : state(runtime, server),
        aof(server, commands::execute_preset,
            [this](std::string name, std::function<void()> body) {
          state.spawn_counted(std::move(name), std::move(body));
        }),
        cluster_bus(state),
        replication(server) {
    state.replication = &replication;
  }
  NodeState state;
  persistence::Aof aof;
  ClusterBus cluster_bus;
  replication::Replication replication;
};

Node::Node(Runtime& runtime, server::Config config)
    : runtime_(runtime),
      server_(runtime, std::move(config), commands::build_command_table()),
      impl_(std::make_unique<Impl>(runtime, server_)) {}

Node::~Node() = default;

// Every listener before any fiber: if a port is taken, nothing has started (the listeners
// opened so far close as `listeners` goes out of scope).
Status Node::open_listeners() {
  NodeState& state = impl_->state;
  const server::Config& config = server_.config();
  struct Wanted {
    std::unique_ptr<Listener>& listener;
    uint16_t port;
    Transport transport;
    const char* what;
  };
  const bool plain = listens_plain(config, config.port);
  const Wanted wanted[] = {
      {state.listener, plain ? config.port : uint16_t{0}, Transport::plain, "port"},
      {state.http_listener, config.http_port, Transport::plain, "HTTP port"},
      {state.tls_listener, config.tls.port, Transport::tls, "TLS port"},
      {state.tls_http_listener, config.tls.http_port, Transport::tls, "TLS HTTP port"},
  };
  std::vector<std::unique_ptr<Listener>> opened(std::size(wanted));
  for (size_t i = 0; i < std::size(wanted); ++i) {
    if (wanted[i].port == 0 && !(i == 0 && plain)) continue;
    auto listener = runtime_.listen(config.bind, wanted[i].port, wanted[i].transport);
    if (!listener) {
      if (i == 0) return listener.status();
      return Status(listener.code(), std::string(wanted[i].what) + ": " +
                                         listener.status().message());
    }
    opened[i] = std::move(listener.value());
  }
  for (size_t i = 0; i < std::size(wanted); ++i) wanted[i].listener = std::move(opened[i]);
  const auto bound = [](const std::unique_ptr<Listener>& listener) -> uint16_t {
    return listener ? listener->port() : 0;
  };
  state.port = bound(state.listener);
  state.http_port = bound(state.http_listener);
  state.tls_port = bound(state.tls_listener);
  state.tls_http_port = bound(state.tls_http_listener);
  // With port 0 the runtime picked one; CONFIG GET port and INFO show the real one.
  if (plain) server_.config().port = state.port;
  return Status::ok();
}

Status Node::start() {
  NodeState& state = impl_->state;
  RING_ASSERT_MSG(state.listener == nullptr && state.tls_listener == nullptr,
                  "a node starts once");
  const server::Config& config = server_.config();
  if (config.tls.in_use()) {
    if (Status configured = runtime_.configure_tls(config.tls.settings); !configured) {
      return configured;
    }
  }
  if (Status opened = open_listeners(); !opened) return opened;
  if (config.cluster.enabled) {
    if (Status opened = impl_->cluster_bus.open(config.cluster_bus_port()); !opened) {
      state.close_listeners();
      return opened;
    }
  }
  impl_->aof.prepare();
  server_.set_port_changer([this](uint16_t port) { return move_port(port); });
  start_fibers();
  return Status::ok();
}

// Listens on the new port first, so a port already taken leaves the node as it was; then the
// old listener closes (its acceptor fiber ends) and a new acceptor serves the new one. Open
// connections stay.
Result<uint16_t> Node::move_port(uint16_t port) {
  NodeState& state = impl_->state;
  const server::Config& config = server_.config();
  std::unique_ptr<Listener> opened;
  if (listens_plain(config, port)) {
    auto listener = runtime_.listen(config.bind, port, Transport::plain);
    if (!listener) return listener.status();
    opened = std::move(listener.value());
  }
  if (state.listener != nullptr) {
    state.listener->close();
    state.closed_listeners.push_back(std::move(state.listener));
  }
  state.listener = std::move(opened);
  state.port = state.listener != nullptr ? state.listener->port() : 0;
  spawn_acceptor<RespConnection>(state, state.listener.get(), "acceptor", "client");
  if (state.port != 0) {
    runtime_.log(LogLevel::notice, fmt::format("Ready to accept connections tcp on {}:{}",
                                               config.bind, state.port));
  }
  return state.port;
}

void Node::start_fibers() {
  NodeState& state = impl_->state;
  state.spawn_counted("cron", [&state] { run_cron(state); });
  persistence::Aof& aof = impl_->aof;
  state.spawn_counted("aof", [&aof] { aof.run(); });
  state.spawn_counted("replica-link", [&state] { run_replica_link(state); });
  if (state.bus_socket != nullptr) {
    ClusterBus& bus = impl_->cluster_bus;
    state.spawn_counted("cluster-bus", [&bus] { bus.run(); });
  }
  state.spawn_counted("acceptors", [&state] {
    // Users come from the aclfile before any client can connect, as Redis loads it at startup.
    if (!state.server.config().aclfile.empty()) {
      if (Status loaded = commands::load_acl_file(state.server); !loaded) {
        state.runtime.log(LogLevel::warning, loaded.message());
        state.server.request_fatal_shutdown();
        return;
      }
    }
    spawn_acceptor<RespConnection>(state, state.listener.get(), "acceptor", "client");
    spawn_acceptor<RespConnection>(state, state.tls_listener.get(), "tls-acceptor", "tls-client");
    spawn_acceptor<HttpConnection>(state, state.http_listener.get(), "http-acceptor",
                                   "http-client");
    spawn_acceptor<HttpConnection>(state, state.tls_http_listener.get(), "tls-http-acceptor",
                                   "tls-http-client");
  });
  const std::pair<uint16_t, const char*> listening[] = {
      {state.port, "Ready to accept connections tcp"},
      {state.tls_port, "Ready to accept connections tls"},
      {state.http_port, "HTTP API listening"},
      {state.tls_http_port, "HTTP API over TLS listening"},
  };
  for (const auto& [port, what] : listening) {
    if (port == 0) continue;
    runtime_.log(LogLevel::notice,
                 fmt::format("{} on {}:{}", what, server_.config().bind, port));
  }
}

void Node::request_shutdown() { impl_->state.shutdown(); }

bool Node::stopped() const {
  const NodeState& state = impl_->state;
  return (state.shutting_down || server_.shutdown_requested()) && state.live_fibers == 0;
}

uint16_t Node::port() const { return impl_->state.port; }

uint16_t Node::http_port() const { return impl_->state.http_port; }

uint16_t Node::tls_port() const { return impl_->state.tls_port; }

uint16_t Node::tls_http_port() const { return impl_->state.tls_http_port; }

}  // namespace ringcache::node
