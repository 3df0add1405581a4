#include "core/node/server.h"

#include <algorithm>
#include <array>

#include "core/node/server_metrics.h"
#include "core/util/assert.h"

namespace ringcache::node {

Server::Server(Runtime& runtime, Config config)
    : runtime_(runtime),
      config_(std::move(config)),
      keyspace_(runtime.rng(), config_.eviction),
      commands_(commands::build_command_table()),
      blocked_clients_(runtime),
      start_time_(runtime.now()) {
  register_server_metrics(*this);
  // Expired and evicted keys reach the AOF and replicas as the DELs they amount to, as Redis 7.0
  // propagates them, so a replay never depends on the replaying node's clock or memory.
  keyspace_.set_removal_listener([this](std::string_view key, store::RemovalReason) {
    const std::array<std::string_view, 2> del{"DEL", key};
    const std::array<ArgvView, 1> unit{ArgvView(del)};
    propagate(unit);
  });
}

void Server::notify_keyspace_event(uint32_t event_class, std::string_view event,
                                   std::string_view key) {
  // Delivery comes with pub/sub; until then commands already report their events here.
  (void)event_class;
  (void)event;
  (void)key;
}

void Server::apply_config() { keyspace_.set_eviction_config(config_.eviction); }

void Server::add_propagation_sink(PropagationSink* sink) {
  RING_ASSERT(sink != nullptr);
  RING_ASSERT_MSG(std::find(sinks_.begin(), sinks_.end(), sink) == sinks_.end(),
                  "a sink is registered once");
  sinks_.push_back(sink);
}

void Server::remove_propagation_sink(PropagationSink* sink) {
  sinks_.erase(std::remove(sinks_.begin(), sinks_.end(), sink), sinks_.end());
}

void Server::propagate(std::span<const ArgvView> commands) {
  if (loading_ || sinks_.empty() || commands.empty()) return;
  if (transaction_depth_ > 0) {
    for (const ArgvView argv : commands) transaction_.emplace_back(argv.begin(), argv.end());
    return;
  }
  if (commands.size() == 1) {
    for (PropagationSink* sink : sinks_) sink->propagate(commands);
    return;
  }
  static constexpr std::array<std::string_view, 1> multi{"MULTI"};
  static constexpr std::array<std::string_view, 1> exec{"EXEC"};
  std::vector<ArgvView> unit;
  unit.reserve(commands.size() + 2);
  unit.emplace_back(multi);
  unit.insert(unit.end(), commands.begin(), commands.end());
  unit.emplace_back(exec);
  for (PropagationSink* sink : sinks_) sink->propagate(unit);
}

void Server::end_transaction() {
  RING_ASSERT_MSG(transaction_depth_ > 0, "end_transaction pairs with begin_transaction");
  if (--transaction_depth_ > 0) return;
  std::vector<std::vector<std::string>> commands = std::move(transaction_);
  transaction_.clear();
  if (commands.empty()) return;
  std::vector<std::vector<std::string_view>> views;
  views.reserve(commands.size() + 2);
  views.push_back({"MULTI"});
  for (const auto& argv : commands) views.emplace_back(argv.begin(), argv.end());
  views.push_back({"EXEC"});
  std::vector<ArgvView> unit(views.begin(), views.end());
  for (PropagationSink* sink : sinks_) sink->propagate(unit);
}

std::optional<std::string> Server::write_refusal() const {
  for (const PropagationSink* sink : sinks_) {
    if (auto reason = sink->write_refusal()) return reason;
  }
  return std::nullopt;
}

}  // namespace ringcache::node
