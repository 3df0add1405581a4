#include "core/server/server.h"

#include <algorithm>
#include <array>

#include "core/protocol/resp_command.h"
#include "core/server/server_metrics.h"
#include "core/util/assert.h"

#include <fmt/format.h>

namespace ringcache::server {
namespace {

// 40 hex digits from splitmix64 steps over `seed` (an identifier, not a secret).
std::string hex_id(uint64_t seed) {
  std::string id;
  while (id.size() < 40) {
    seed += 0x9e3779b97f4a7c15ULL;
    uint64_t z = seed;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    id += fmt::format("{:016x}", z ^ (z >> 31));
  }
  id.resize(40);
  return id;
}

}  // namespace

Server::Server(Runtime& runtime, Config config, CommandTable commands)
    : runtime_(runtime),
      config_(std::move(config)),
      keyspace_(runtime.rng(), config_.eviction),
      commands_(std::move(commands)),
      acl_(commands_),
      blocked_clients_(runtime),
      client_pause_(runtime, blocked_clients_),
      start_time_(runtime.now()),
      push_delivery_(runtime, config_.output_buffer_limits),
      pubsub_(push_delivery_),
      tracking_(clients_, push_delivery_) {
  const uint64_t start_seed = static_cast<uint64_t>(runtime.wall_time_us()) * 31 +
                              static_cast<uint64_t>(runtime.process_id());
  run_id_ = hex_id(start_seed);
  replication_id_ = hex_id(~start_seed);
  register_server_metrics(*this);
  acl_.set_all_channels_by_default(config_.acl_pubsub_all_channels);
  if (Status status = acl_.load_lines(config_.acl_user_lines); !status) {
    runtime.log(LogLevel::warning, "Error in user declaration: " + status.message());
    request_fatal_shutdown();
  }
  apply_acl_config();
  keyspace_.set_removal_listener(
      [this](std::string_view key, store::RemovalReason reason) { on_key_removed(key, reason); });
  keyspace_.set_creation_listener(
      [this](std::string_view key) { notify_keyspace_event(event_new_key, "new", key); });
}

void Server::on_key_removed(std::string_view key, store::RemovalReason reason) {
  // Expired and evicted keys reach the AOF and replicas as the DELs they amount to, as Redis 7.0
  // propagates them, so a replay never depends on the replaying node's clock or memory.
  const std::array<std::string_view, 2> del{"DEL", key};
  const std::array<ArgvView, 1> unit{ArgvView(del)};
  propagate(unit);
  key_changed(key);
  if (reason == store::RemovalReason::expired) {
    notify_keyspace_event(event_expired, "expired", key);
  } else {
    notify_keyspace_event(event_evicted, "evicted", key);
  }
}

void Server::publish_keyspace_event(std::string_view event, std::string_view key) {
  // One database: always db 0.
  const uint32_t classes = config_.notify_keyspace_events;
  if ((classes & event_keyspace) != 0) {
    pubsub_.publish(fmt::format("__keyspace@0__:{}", key), event);
  }
  if ((classes & event_keyevent) != 0) {
    pubsub_.publish(fmt::format("__keyevent@0__:{}", event), key);
  }
}

void Server::keyspace_flushing(size_t removed) {
  dirty_ += removed;
  if (!watched_keys_.empty()) {
    watched_keys_.touch_if([this](std::string_view key) { return keyspace_.peek(key) != nullptr; });
  }
  tracking_.invalidate_all();
  // Clients blocked on keys about to go are told (XREADGROUP answers that its stream is gone).
  if (blocked_clients_.blocking_keys() != 0) {
    keyspace_.for_each(
        [this](const store::Entry& entry) { blocked_clients_.signal_key(entry.key()); });
  }
}

void Server::forget_transaction(Client& client) {
  client.in_multi = false;
  client.multi_failed = false;
  client.queued.clear();
  client.queued_bytes = 0;
  client.multi_slot = -1;
  client.multi_crossslot = false;
  watched_keys_.unwatch_all(client);
  client.watch_dirty = false;
}

void Server::forget_client_state(Client& client) {
  pubsub_.forget(client);
  tracking_.disable(client);
  monitors_.remove(client);
  forget_transaction(client);
}

void Server::apply_config() {
  keyspace_.set_eviction_config(config_.eviction);
  apply_acl_config();
}

void Server::apply_acl_config() {
  acl_.set_all_channels_by_default(config_.acl_pubsub_all_channels);
  // Only a change of requirepass touches the default user: ACL SETUSER default may have given
  // it other passwords since.
  if (config_.requirepass != applied_requirepass_) {
    acl_.set_default_password(config_.requirepass);
    applied_requirepass_ = config_.requirepass;
  }
}

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
  if (commands.size() == 1) return deliver(commands);
  static constexpr std::array<std::string_view, 1> multi{"MULTI"};
  static constexpr std::array<std::string_view, 1> exec{"EXEC"};
  std::vector<ArgvView> unit;
  unit.reserve(commands.size() + 2);
  unit.emplace_back(multi);
  unit.insert(unit.end(), commands.begin(), commands.end());
  unit.emplace_back(exec);
  deliver(unit);
}

void Server::deliver(std::span<const ArgvView> unit) {
  // Encoded once, whatever the number of sinks (the AOF and replicas both want these bytes).
  encoded_unit_.clear();
  for (const ArgvView argv : unit) protocol::append_resp_command(encoded_unit_, argv);
  const PropagatedUnit propagated{unit, encoded_unit_};
  for (PropagationSink* sink : sinks_) sink->propagate(propagated);
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
  deliver(unit);
}

std::optional<std::string> Server::write_refusal() const {
  for (const PropagationSink* sink : sinks_) {
    if (auto reason = sink->write_refusal()) return reason;
  }
  return std::nullopt;
}

void Server::count_error_replies(const std::vector<std::string>& words) {
  auto& kinds = stats_.error_replies_by_kind;
  for (const std::string& word : words) {
    auto it = kinds.find(word);
    if (it != kinds.end()) {
      ++it->second;
    } else if (kinds.size() < constants::info_error_kinds_max) {
      kinds.emplace(word, 1);
    }
  }
}

}  // namespace ringcache::server
