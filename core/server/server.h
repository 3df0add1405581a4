#pragma once
// The state of one node that commands act on: config, keyspace, clients, statistics. Commands see
// the node only through this class (and its Runtime), never through the connection machinery
// (core/node/), which sits above them.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <span>
#include <string>
#include <vector>
#include <string_view>

#include "core/server/command_table.h"
#include "core/server/acl/acl.h"
#include "core/metrics/latency_monitor.h"
#include "core/metrics/registry.h"
#include "core/metrics/slowlog.h"
#include "core/server/clients/blocking.h"
#include "core/server/clients/client.h"
#include "core/server/clients/client_pause.h"
#include "core/server/config/config.h"
#include "core/server/pubsub/keyspace_events.h"
#include "core/server/persistence_control.h"
#include "core/server/propagation.h"
#include "core/server/propagation_sink.h"
#include "core/server/snapshot_gate.h"
#include "core/server/replication_control.h"
#include "core/server/script_run.h"
#include "core/server/pubsub/pubsub.h"
#include "core/server/monitors.h"
#include "core/server/pubsub/push_delivery.h"
#include "core/server/pubsub/tracking.h"
#include "core/server/clients/watched_keys.h"
#include "core/runtime.h"
#include "core/store/keyspace.h"

namespace ringcache::cluster {
class ClusterState;
}  // namespace ringcache::cluster

namespace ringcache::server {

struct ServerStats {
  uint64_t total_connections_received = 0;
  uint64_t total_commands_processed = 0;
  uint64_t rejected_connections = 0;
  uint64_t total_net_input_bytes = 0;
  uint64_t total_net_output_bytes = 0;
  uint64_t total_error_replies = 0;
  uint64_t unexpected_error_replies = 0;
  uint64_t evicted_clients = 0;  // closed by maxmemory-clients
  // Commands per second over the cron's last sampling interval (INFO instantaneous_ops_per_sec).
  uint64_t instantaneous_ops_per_sec = 0;
  // Error replies by their first word (INFO errorstats), at most
  // constants::info_error_kinds_max kinds, as Redis caps them.
  std::map<std::string, uint64_t, std::less<>> error_replies_by_kind;
  // The highest used_memory seen when INFO or MEMORY STATS read it (INFO used_memory_peak).
  uint64_t used_memory_peak = 0;
  // Full syncs served, and PSYNCs served from the backlog or refused (INFO stats).
  uint64_t sync_full = 0;
  uint64_t sync_partial_ok = 0;
  uint64_t sync_partial_err = 0;
  // HTTP API responses by status code (ordered: /metrics output is deterministic).
  std::map<int, uint64_t> http_responses;
};

class Server {
 public:
  // `commands` is the node's own table (commands::build_command_table()): its statistics count
  // this server's calls.
  Server(Runtime& runtime, Config config, CommandTable commands);

  Runtime& runtime() { return runtime_; }
  Config& config() { return config_; }
  const Config& config() const { return config_; }
  // Re-reads eviction settings etc. from config() after CONFIG SET.
  void apply_config();
  store::Keyspace& keyspace() { return keyspace_; }
  ServerStats& stats() { return stats_; }
  const CommandTable& commands() const { return commands_; }
  // Users and permissions (acl/acl.h). Connections start as its default user.
  acl::Acl& acl() { return acl_; }
  const acl::Acl& acl() const { return acl_; }
  // What operators read: /metrics families, SLOWLOG, LATENCY.
  metrics::Registry& metrics() { return metrics_; }
  metrics::SlowLog& slowlog() { return slowlog_; }
  metrics::LatencyMonitor& latency_monitor() { return latency_monitor_; }
  // Called by dispatch after a command's handler ran for `took`: its duration histogram, the
  // slow log and the latency monitor (command_timing.cpp). Cheap unless the command was slow.
  void command_finished(const CommandSpec& spec, const Client& client,
                        std::span<const std::string_view> argv, Nanos took);
  // Records `event` in the latency monitor when `took` reached latency-monitor-threshold.
  void observe_latency(std::string_view event, Nanos took);

  // Clients by id (ordered: CLIENT LIST output is deterministic).
  std::map<uint64_t, Client*>& clients() { return clients_; }
  uint64_t next_client_id() { return ++last_client_id_; }

  // Called by commands after they change `key` (WATCH, client tracking and the AOF hook in here).
  void key_modified(std::string_view key) {
    ++dirty_;
    blocked_clients_.signal_key(key);
    key_changed(key);
  }
  uint64_t dirty() const { return dirty_; }
  // A change that names no key (FUNCTION LOAD, FUNCTION FLUSH): propagated like a write.
  void mark_dirty() { ++dirty_; }
  // `key` changed without a command writing it (expiry, eviction): WATCH and tracking only.
  void key_changed(std::string_view key) {
    if (watched_keys_.empty() && tracking_.idle()) return;
    watched_keys_.touch(key);
    tracking_.invalidate(key, change_author());
  }
  // The client whose command is changing keys: a script's commands count as its caller's (a
  // NOLOOP tracker does not hear of its own script's writes).
  const Client* change_author() const {
    const Client* executing = push_delivery_.executing_client();
    if (running_script_ != nullptr && executing == running_script_->script_client) {
      return running_script_->caller;
    }
    return executing;
  }
  // FLUSHALL/FLUSHDB, before the keyspace empties: `removed` keys count as changes, watched keys
  // that exist are touched, tracking clients get a null invalidation.
  void keyspace_flushing(size_t removed);
  // Keyspace notifications: `event_class` is one KeyspaceEventClass, `event` Redis' event name.
  // Published to subscribers when notify-keyspace-events enables the class.
  void notify_keyspace_event(uint32_t event_class, std::string_view event, std::string_view key) {
    if ((config_.notify_keyspace_events & event_class) != 0) publish_keyspace_event(event, key);
  }

  // Pub/sub, pushes, WATCH and CLIENT TRACKING state (pubsub.h, push_delivery.h,
  // watched_keys.h, tracking.h).
  PubSub& pubsub() { return pubsub_; }
  PushDelivery& push_delivery() { return push_delivery_; }
  WatchedKeys& watched_keys() { return watched_keys_; }
  Tracking& tracking() { return tracking_; }
  Monitors& monitors() { return monitors_; }
  // Drops what a client subscribed, watched, queued and tracked (disconnect, RESET).
  void forget_client_state(Client& client);
  // Leaves MULTI: the queued commands are dropped and every key unwatched (EXEC, DISCARD).
  void forget_transaction(Client& client);
  // What the running write command propagates to the AOF and replicas (propagation.h).
  Propagation& propagation() { return propagation_; }
  // Sinks that receive every propagated write (the AOF; replicas later). Not owned.
  void add_propagation_sink(PropagationSink* sink);
  void remove_propagation_sink(PropagationSink* sink);
  bool has_propagation_sinks() const { return !sinks_.empty(); }
  // Hands one unit of change to every sink: `commands` alone when it is one command, wrapped in
  // MULTI ... EXEC when several (or collected into the open transaction, see below). Nothing is
  // propagated while loading: the loader replays what is already on disk.
  void propagate(std::span<const ArgvView> commands);
  // EXEC calls begin_transaction() before the queued commands run and end_transaction() after:
  // what they propagate in between reaches the sinks as one MULTI ... EXEC unit (nothing at all
  // when none of them wrote). Nestable; only the outermost pair emits.
  void begin_transaction() { ++transaction_depth_; }
  void end_transaction();
  // Suspending. Connections call it before sending replies (see PropagationSink::before_reply).
  void before_reply() {
    for (PropagationSink* sink : sinks_) sink->before_reply();
  }
  // The first sink's reason to refuse write commands (MISCONF), if any.
  std::optional<std::string> write_refusal() const;

  // While the AOF is loading: commands other than those flagged "loading" get -LOADING, nothing
  // is propagated, keys do not expire and nothing is evicted (as Redis' server.loading).
  bool loading() const { return loading_; }
  // The AOF (null in tests without one): BGREWRITEAOF and INFO persistence go through it.
  PersistenceControl* persistence() { return persistence_; }
  void set_persistence(PersistenceControl* persistence) { persistence_ = persistence; }
  // Replication (null in tests without a node): the role, offsets and acknowledgements.
  ReplicationControl* replication() { return replication_; }
  const ReplicationControl* replication() const { return replication_; }
  void set_replication(ReplicationControl* replication) { replication_ = replication; }
  bool is_replica() const { return replication_ != nullptr && replication_->is_replica(); }
  // Called by dispatch before a write command runs, with each key it names (the AOF rewrite
  // serialises a key's old value before a write changes it). Empty: no call.
  using BeforeWrite = std::function<void(std::string_view key)>;
  const BeforeWrite& before_write() const { return before_write_; }
  void set_before_write(BeforeWrite hook) { before_write_ = std::move(hook); }
  // CONFIG SET port: the node listens on the new port (0: as at startup) and stops listening on
  // the old one, returning the port bound, or fails and keeps the old one. Empty in tests
  // without a node: refused.
  using PortChanger = std::function<Result<uint16_t>(uint16_t port)>;
  const PortChanger& port_changer() const { return port_changer_; }
  void set_port_changer(PortChanger changer) { port_changer_ = std::move(changer); }
  // Who may take the keyspace's one snapshot and set the hook above (snapshot_gate.h).
  SnapshotGate& snapshot_gate() { return snapshot_gate_; }
  void set_loading(bool loading) { loading_ = loading; }
  // The node's view of its cluster when cluster-enabled is yes (set by the node's bus fiber once
  // it has read the cluster config file; null before, and always without cluster mode). Not
  // owned.
  cluster::ClusterState* cluster() { return cluster_; }
  void set_cluster(cluster::ClusterState* cluster) { cluster_ = cluster; }
  // The script running now (null when none): dispatch answers -BUSY while it has timed out.
  ScriptRun* running_script() { return running_script_; }
  void set_running_script(ScriptRun* run) { running_script_ = run; }
  // The scripting commands' per-node state (null until a script is first used).
  std::unique_ptr<ScriptingState>& scripting() { return scripting_; }
  // Clients parked in blocking commands and the keys they wait on (blocking.h).
  BlockedClients& blocked_clients() { return blocked_clients_; }
  // CLIENT PAUSE and DEBUG SLEEP: commands wait while the node is paused (client_pause.h).
  ClientPause& client_pause() { return client_pause_; }

  Instant start_time() const { return start_time_; }
  // INFO run_id and master_replid: 40 hex digits fixed for the node's life, derived from its
  // start (wall clock, process id), not drawn from the seeded generator, so reading INFO leaves a
  // simulation's random stream as it was.
  const std::string& run_id() const { return run_id_; }
  const std::string& replication_id() const { return replication_id_; }
  // Counts error replies by kind (dispatch passes ReplyWriter::take_error_words()).
  void count_error_replies(const std::vector<std::string>& words);
  // SHUTDOWN: the node stops accepting, closes its clients, and its fibers end.
  void request_shutdown() { shutdown_requested_ = true; }
  bool shutdown_requested() const { return shutdown_requested_; }
  // A shutdown because the node cannot go on (an AOF it cannot load): the process exits with a
  // failure code.
  void request_fatal_shutdown() {
    fatal_error_ = true;
    shutdown_requested_ = true;
  }
  bool fatal_error() const { return fatal_error_; }

 private:
  Runtime& runtime_;
  Config config_;
  store::Keyspace keyspace_;
  ServerStats stats_;
  CommandTable commands_;
  acl::Acl acl_;
  std::string applied_requirepass_;  // what the default user's password was last set from
  metrics::Registry metrics_;
  metrics::SlowLog slowlog_;
  metrics::LatencyMonitor latency_monitor_;
  std::map<uint64_t, Client*> clients_;
  uint64_t last_client_id_ = 0;
  uint64_t dirty_ = 0;
  Propagation propagation_;
  std::vector<PropagationSink*> sinks_;
  std::string encoded_unit_;  // the unit being delivered, RESP-encoded (reused)
  int transaction_depth_ = 0;
  std::vector<std::vector<std::string>> transaction_;  // what the open transaction propagated
  bool loading_ = false;
  PersistenceControl* persistence_ = nullptr;
  ReplicationControl* replication_ = nullptr;
  BeforeWrite before_write_;
  PortChanger port_changer_;
  SnapshotGate snapshot_gate_;
  cluster::ClusterState* cluster_ = nullptr;
  BlockedClients blocked_clients_;
  ScriptRun* running_script_ = nullptr;
  std::unique_ptr<ScriptingState> scripting_;
  ClientPause client_pause_;
  Instant start_time_;
  std::string run_id_;
  std::string replication_id_;
  bool shutdown_requested_ = false;
  bool fatal_error_ = false;
  PushDelivery push_delivery_;
  PubSub pubsub_;
  WatchedKeys watched_keys_;
  Tracking tracking_;
  Monitors monitors_;

  void publish_keyspace_event(std::string_view event, std::string_view key);
  // Encodes `unit` once and hands it to every sink.
  void deliver(std::span<const ArgvView> unit);
  void on_key_removed(std::string_view key, store::RemovalReason reason);
  // requirepass and the ACL options into acl_ (startup, and after CONFIG SET).
  void apply_acl_config();
};

}  // namespace ringcache::server
