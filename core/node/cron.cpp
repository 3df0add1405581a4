#include "core/node/cron.h"

#include <fmt/format.h>

#include <chrono>
#include <vector>

#include "core/node/connection.h"
#include "core/replication/replication.h"
#include "core/server/clients/client_eviction.h"
#include "core/server/clients/output_limits.h"

namespace ringcache::node {
namespace {

Nanos cron_period(const server::Config& config) {
  return Nanos(std::chrono::seconds(1)) / config.hz;
}

// Deletes expired keys for at most expire_cycle_cpu_percent of the period, as Redis' active
// expire cycle is bounded, so a keyspace full of expired keys cannot starve clients.
void expire_keys(NodeState& node, Nanos period) {
  Runtime& runtime = node.runtime;
  const Instant deadline = runtime.now() + period * constants::expire_cycle_cpu_percent / 100;
  store::Keyspace& keyspace = node.server.keyspace();
  keyspace.set_now_ms(runtime.wall_time_ms());
  const Instant started = runtime.now();
  keyspace.active_expire_cycle([&runtime, deadline] { return runtime.now() >= deadline; });
  node.server.observe_latency("expire-cycle", runtime.now() - started);
  node.server.tracking().flush_broadcasts();
}

// Whether `timeout` leaves a client alone, as Redis: subscribers wait for messages and blocked
// clients for keys or the end of a pause, replicas and MONITOR clients only listen, and the link
// to our primary is not ours to close.
bool never_idle(NodeState& node, uint64_t id, const server::Client& client) {
  return client.subscribed() || client.psync_requested || client.monitor ||
         client.replication_master || node.server.blocked_clients().is_blocked(id);
}

// Closes clients idle for longer than `timeout` seconds (0: never).
void close_idle_clients(NodeState& node) {
  const int64_t timeout_s = node.server.config().timeout_seconds;
  if (timeout_s == 0) return;
  const Instant now = node.runtime.now();
  std::vector<server::Client*> idle;  // collected first: kill() may unregister a client
  for (const auto& [id, client] : node.server.clients()) {
    if (never_idle(node, id, *client)) continue;
    if (now - client->last_interaction > std::chrono::seconds(timeout_s)) idle.push_back(client);
  }
  for (server::Client* client : idle) {
    node.runtime.log(LogLevel::verbose, "Closing idle client");
    if (client->kill) client->kill();
  }
}

// Gives idle clients' query buffers back, and shrinks those a large request left behind.
void resize_query_buffers(NodeState& node) {
  for (const auto& [id, connection] : node.connections) connection->resize_query_buffer();
}

// Closes clients whose output stayed above their class's soft limit for too long (the hard
// limit is checked as output is queued): a client that stopped reading may sit in a write that
// never ends, and only the cron looks at it then.
void close_clients_over_output_limits(NodeState& node) {
  const server::OutputBufferLimits& limits = node.server.config().output_buffer_limits;
  const Instant now = node.runtime.now();
  std::vector<server::Client*> over;  // collected first: kill() may unregister a client
  for (const auto& [id, client] : node.server.clients()) {
    if (server::output_limit_broken(limits, *client, server::pending_output_bytes(*client), now)) {
      over.push_back(client);
    }
  }
  for (server::Client* client : over) {
    node.runtime.log(LogLevel::warning, server::output_limit_log_line(*client));
    if (client->kill) client->kill();
  }
}

// maxmemory-clients: closes the clients holding the most until the others fit.
void evict_clients_over_memory(NodeState& node) {
  const server::Config& config = node.server.config();
  const uint64_t limit = server::client_memory_limit_bytes(
      config.maxmemory_clients, config.maxmemory_clients_percent,
      config.eviction.maxmemory_bytes);
  for (server::Client* client : server::clients_to_evict(node.server.clients(), limit)) {
    node.runtime.log(LogLevel::verbose,
                     fmt::format("Evicting client: id={} addr={} memory={}", client->id,
                                 client->address, server::client_memory_bytes(*client)));
    ++node.server.stats().evicted_clients;
    if (client->kill) client->kill();
  }
}

// Commands per second since the previous tick.
class OpsSampler {
 public:
  explicit OpsSampler(NodeState& node) : node_(node), last_time_(node.runtime.now()) {}
  void sample() {
    server::ServerStats& stats = node_.server.stats();
    const Instant now = node_.runtime.now();
    const int64_t elapsed_ns = (now - last_time_).count();
    if (elapsed_ns <= 0) return;
    // RESETSTAT can make the counter go backwards; count from zero then.
    const uint64_t commands = stats.total_commands_processed;
    const uint64_t delta = commands >= last_commands_ ? commands - last_commands_ : commands;
    stats.instantaneous_ops_per_sec =
        static_cast<uint64_t>(static_cast<double>(delta) * 1e9 / static_cast<double>(elapsed_ns));
    last_time_ = now;
    last_commands_ = commands;
  }

 private:
  NodeState& node_;
  Instant last_time_;
  uint64_t last_commands_ = 0;
};

}  // namespace

void run_cron(NodeState& node) {
  OpsSampler ops(node);
  while (!node.shutting_down) {
    // hz is re-read every tick: CONFIG SET hz takes effect at once.
    const Nanos period = cron_period(node.server.config());
    node.cron_wakeup->wait_until(node.runtime.now() + period);
    if (node.shutting_down) break;
    if (node.server.shutdown_requested()) {
      node.shutdown();
      break;
    }
    // While loading, the dataset is what the AOF says: nothing expires yet. While clients are
    // paused it holds still, as in Redis, and while a slow script lets other clients in (the
    // script must see its keys as they were). Eviction runs before commands only, as in Redis:
    // a client tracking keys hears of an eviction before the reply to the command that caused it.
    if (!node.server.loading() && !node.server.client_pause().paused() &&
        node.server.running_script() == nullptr) {
      expire_keys(node, period);
    }
    node.server.tracking().limit_keys(node.server.config().tracking_table_max_keys);
    close_idle_clients(node);
    resize_query_buffers(node);
    close_clients_over_output_limits(node);
    evict_clients_over_memory(node);
    ops.sample();
    if (node.replication != nullptr) node.replication->tick();
  }
}

}  // namespace ringcache::node
