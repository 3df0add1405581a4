#include "core/node/node.h"

#include <fmt/format.h>

#include <chrono>
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

void NodeState::shutdown() {
  if (shutting_down) return;
  shutting_down = true;
  server.request_shutdown();
  if (listener) listener->close();
  if (http_listener) http_listener->close();
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

Status Node::start() {
  NodeState& state = impl_->state;
  RING_ASSERT_MSG(state.listener == nullptr, "a node starts once");
  const server::Config& config = server_.config();
  // Both listeners before any fiber: if either port is taken, nothing has started.
  Result<std::unique_ptr<Listener>> listener = runtime_.listen(config.bind, config.port);
  if (!listener) return listener.status();
  if (config.http_port != 0) {
    Result<std::unique_ptr<Listener>> http = runtime_.listen(config.bind, config.http_port);
    if (!http) return Status(http.code(), "HTTP port: " + http.status().message());
    state.http_listener = std::move(http.value());
    state.http_port = state.http_listener->port();
  }
  state.listener = std::move(listener.value());
  state.port = state.listener->port();
  // With port 0 the runtime picked one; CONFIG GET port and INFO show the real one.
  server_.config().port = state.port;
  if (config.cluster.enabled) {
    if (Status opened = impl_->cluster_bus.open(config.cluster_bus_port()); !opened) {
      state.listener->close();
      if (state.http_listener) state.http_listener->close();
      return opened;
    }
  }
  impl_->aof.prepare();
  start_fibers();
  return Status::ok();
}

void Node::start_fibers() {
  NodeState& state = impl_->state;
  state.spawn_counted("acceptor", [&state] {
    // Users come from the aclfile before any client can connect, as Redis loads it at startup.
    if (!state.server.config().aclfile.empty()) {
      if (Status loaded = commands::load_acl_file(state.server); !loaded) {
        state.runtime.log(LogLevel::warning, loaded.message());
        state.server.request_fatal_shutdown();
        return;
      }
    }
    accept_loop<RespConnection>(state, *state.listener, "client");
  });
  state.spawn_counted("cron", [&state] { run_cron(state); });
  persistence::Aof& aof = impl_->aof;
  state.spawn_counted("aof", [&aof] { aof.run(); });
  state.spawn_counted("replica-link", [&state] { run_replica_link(state); });
  if (state.bus_socket != nullptr) {
    ClusterBus& bus = impl_->cluster_bus;
    state.spawn_counted("cluster-bus", [&bus] { bus.run(); });
  }
  runtime_.log(LogLevel::notice, fmt::format("Ready to accept connections tcp on {}:{}",
                                             server_.config().bind, state.port));
  if (state.http_listener == nullptr) return;
  state.spawn_counted("http-acceptor", [&state] {
    accept_loop<HttpConnection>(state, *state.http_listener, "http-client");
  });
  runtime_.log(LogLevel::notice, fmt::format("HTTP API listening on {}:{}",
                                             server_.config().bind, state.http_port));
}

void Node::request_shutdown() { impl_->state.shutdown(); }

bool Node::stopped() const {
  const NodeState& state = impl_->state;
  return (state.shutting_down || server_.shutdown_requested()) && state.live_fibers == 0;
}

uint16_t Node::port() const { return impl_->state.port; }

uint16_t Node::http_port() const { return impl_->state.http_port; }

}  // namespace ringcache::node
