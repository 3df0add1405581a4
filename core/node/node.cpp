#include "core/node/node.h"

#include <fmt/format.h>

#include <chrono>
#include <vector>

#include "core/node/connection.h"
#include "core/node/cron.h"

namespace ringcache::node {

void NodeState::shutdown() {
  if (shutting_down) return;
  shutting_down = true;
  server.request_shutdown();
  if (listener) listener->close();
  std::vector<Connection*> open;  // copied: a closing connection may unregister itself
  for (const auto& [id, connection] : connections) open.push_back(connection);
  for (Connection* connection : open) connection->close();
  cron_wakeup->notify_all();
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

void accept_loop(NodeState& node) {
  while (!node.shutting_down) {
    Result<std::unique_ptr<Stream>> accepted = node.listener->accept();
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
    node.spawn_counted("client", [&node, stream] {
      Connection connection(node, stream);
      connection.run();
    });
  }
}

}  // namespace

struct Node::Impl {
  Impl(Runtime& runtime, Server& server) : state(runtime, server) {}
  NodeState state;
};

Node::Node(Runtime& runtime, Config config)
    : runtime_(runtime),
      server_(runtime, std::move(config)),
      impl_(std::make_unique<Impl>(runtime, server_)) {}

Node::~Node() = default;

Status Node::start() {
  NodeState& state = impl_->state;
  RC_ASSERT_MSG(state.listener == nullptr, "a node starts once");
  Result<std::unique_ptr<Listener>> listener =
      runtime_.listen(server_.config().bind, server_.config().port);
  if (!listener) return listener.status();
  state.listener = std::move(listener.value());
  state.port = state.listener->port();
  // With port 0 the runtime picked one; CONFIG GET port and INFO show the real one.
  server_.config().port = state.port;
  state.spawn_counted("acceptor", [&state] { accept_loop(state); });
  state.spawn_counted("cron", [&state] { run_cron(state); });
  runtime_.log(LogLevel::notice,
               fmt::format("Ready to accept connections tcp on {}:{}", server_.config().bind,
                           state.port));
  return Status::ok();
}

void Node::request_shutdown() { impl_->state.shutdown(); }

bool Node::stopped() const {
  const NodeState& state = impl_->state;
  return (state.shutting_down || server_.shutdown_requested()) && state.live_fibers == 0;
}

uint16_t Node::port() const { return impl_->state.port; }

}  // namespace ringcache::node
