#include "core/node/cluster_bus.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <string>
#include <utility>

#include "core/cluster/key_slot.h"
#include "core/metrics/registry.h"
#include "core/replication/replication.h"

namespace ringcache::node {
namespace {

// "host:port" as the runtime reports a datagram's sender ("[v6]:port" for IPv6).
cluster::BusAddress parse_sender(std::string_view from) {
  cluster::BusAddress address;
  const size_t colon = from.rfind(':');
  if (colon == std::string_view::npos) return address;
  std::string_view host = from.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  address.ip = std::string(host);
  const std::string_view port = from.substr(colon + 1);
  uint32_t value = 0;
  for (char c : port) {
    if (c < '0' || c > '9' || value > 65535) return cluster::BusAddress{};
    value = value * 10 + static_cast<uint32_t>(c - '0');
  }
  address.port = value <= 65535 ? static_cast<uint16_t>(value) : 0;
  return address;
}

std::string parent_dir(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

Status ClusterBus::open(uint16_t port) {
  Result<std::unique_ptr<DatagramSocket>> socket =
      node_.runtime.open_datagram(node_.server.config().bind, port);
  if (!socket) return Status(socket.code(), "Cluster bus port: " + socket.status().message());
  node_.bus_socket = std::move(socket.value());
  register_metrics();
  return Status::ok();
}

// Read from the state once the fiber created it; zeros before.
void ClusterBus::register_metrics() {
  metrics::Registry& registry = node_.server.metrics();
  registry.add_gauge("ringcache_cluster_known_nodes",
                     "Nodes this node knows alive, itself included (CLUSTER INFO).", [this] {
                       return state_ ? static_cast<double>(state_->known_node_count()) : 0.0;
                     });
  registry.add_gauge("ringcache_cluster_epoch", "Epoch of the committed cluster configuration.",
                     [this] {
                       return state_ ? static_cast<double>(state_->membership().config().epoch)
                                     : 0.0;
                     });
  registry.add_gauge("ringcache_cluster_slots_owned", "Hash slots this node's shard owns.",
                     [this] { return state_ ? state_->owned_slot_count() : 0.0; });
  registry.add_gauge("ringcache_cluster_state_ok",
                     "1 when CLUSTER INFO says cluster_state:ok, else 0.", [this] {
                       return state_ && state_->state_ok(now_ms()) ? 1.0 : 0.0;
                     });
  registry.add_gauge("ringcache_cluster_migrations_in_flight",
                     "Planned slot moves of this node not finished: targets not yet told, and "
                     "sources not yet heard from.",
                     [this] {
                       return state_ ? static_cast<double>(state_->migrations_in_flight()) : 0.0;
                     });
  registry.add_counter("ringcache_cluster_migration_keys_sent_total",
                       "Keys streamed to the new owners of this node's slots.", [this] {
                         return state_ ? state_->migration().stats().keys_sent : 0;
                       });
  registry.add_counter("ringcache_cluster_migration_bytes_sent_total",
                       "Bytes of keys streamed to the new owners of this node's slots.", [this] {
                         return state_ ? state_->migration().stats().bytes_sent : 0;
                       });
  registry.add_counter("ringcache_cluster_migration_keys_received_total",
                       "Keys received from the old owners of slots moving to this node.", [this] {
                         return state_ ? state_->migration().stats().keys_received : 0;
                       });
  registry.add_counter("ringcache_cluster_bus_received_bytes_total",
                       "Bytes of cluster bus messages received.", [this] {
                         return state_ ? state_->membership().stats().bytes_received : 0;
                       });
  registry.add_counter("ringcache_cluster_bus_sent_bytes_total",
                       "Bytes of cluster bus messages sent.", [this] {
                         return state_ ? state_->membership().stats().bytes_sent : 0;
                       });
}

int64_t ClusterBus::now_ms() const { return cluster::cluster_clock_ms(node_.runtime.now()); }

cluster::ClusterStateOptions ClusterBus::state_options() const {
  const server::Config& config = node_.server.config();
  cluster::ClusterStateOptions options;
  options.announce_ip = config.cluster_announced_ip();
  // tls-cluster, as Redis: the port members and clients are given is the TLS one.
  options.client_port =
      config.tls.cluster && node_.tls_port != 0 ? node_.tls_port : config.port;
  options.bus_port = node_.bus_socket->port();
  options.node_timeout_ms = config.cluster.node_timeout_ms;
  options.vnodes = config.cluster.vnodes;
  options.replica_of_ip = config.cluster.replica_of_host;
  options.replica_of_port = config.cluster.replica_of_port;
  options.restarts_empty = !config.aof.enabled;
  for (const server::ClusterSeed& seed : config.cluster.seeds) {
    options.seeds.push_back(cluster::BusAddress{seed.host, seed.port});
  }
  return options;
}

void ClusterBus::run() {
  Result<std::optional<cluster::NodeFile>> stored = read_node_file();
  if (!stored) {
    node_.runtime.log(LogLevel::warning, "Cluster config file: " + stored.status().to_string());
    node_.server.request_fatal_shutdown();
    node_.shutdown();
    return;
  }
  state_ = std::make_unique<cluster::ClusterState>(state_options(), std::move(stored.value()),
                                                   node_.runtime.rng(), now_ms());
  history_shard_ = state_->self().shard_id;  // what the keys loaded from the AOF belong to
  node_.runtime.log(LogLevel::notice,
                    fmt::format("Cluster node {} ({}), bus on port {}", state_->my_id(),
                                stored.value() ? "restored" : "new", node_.bus_socket->port()));
  state_->migration().set_wait_queue(node_.runtime.make_wait_queue());
  migrator_ = std::make_unique<SlotMigrator>(node_, *state_);
  after_engine({}, now_ms());
  node_.server.set_cluster(state_.get());
  node_.spawn_counted("slot-migration", [this] { migrator_->run(); });
  const auto tick = std::chrono::milliseconds(constants::cluster_tick_interval_ms);
  Instant next_tick = node_.runtime.now();
  while (!node_.shutting_down) {
    if (node_.runtime.now() >= next_tick) {
      next_tick = node_.runtime.now() + tick;
      const server::ReplicationControl* replication = node_.server.replication();
      state_->membership().set_replication_offset(replication ? replication->offset() : 0);
      state_->membership().set_replication_link_up(replication && replication->link_up());
      after_engine(state_->membership().tick(now_ms(), node_.runtime.rng()), now_ms());
      migrator_->check(now_ms());
      continue;
    }
    Result<Datagram> received = node_.bus_socket->receive(next_tick);
    if (!received) {
      if (received.code() == Errc::timed_out) continue;
      break;  // closed: the node shuts down
    }
    const int64_t now = now_ms();
    after_engine(state_->membership().receive(parse_sender(received.value().from),
                                              received.value().bytes, now, node_.runtime.rng()),
                 now);
  }
  migrator_->stop();
}

// What follows every step of the engine, in this order: a node declared failed rejoins; a
// committed configuration rebuilds the map; the config file is made durable (a vote or
// incarnation must not leave before it is); the messages go; unowned keys are dropped.
//
// A node declared failed keeps its keys: the removal its peers queued may never commit (it came
// back first), and then it is still its shard's primary, the only holder of writes its replica
// has not received. Once a configuration without it commits, it drops every key.
void ClusterBus::after_engine(std::vector<cluster::Outgoing> out, int64_t now) {
  for (cluster::Outgoing& outgoing : state_->take_outbox()) out.push_back(std::move(outgoing));
  cluster::Membership& membership = state_->membership();
  if (membership.self_state() == cluster::SelfState::declared_failed) {
    node_.runtime.log(LogLevel::warning,
                      "Cluster: the other nodes declared this node failed; rejoining as a new "
                      "incarnation");
    // A replica stops acknowledging its primary's writes: WAIT must not count a copy the
    // cluster is giving up on. It syncs in full once it is a member again.
    if (state_->is_replica() && node_.replication != nullptr) {
      node_.replication->abandon_history();
    }
    state_->rejoin(now);
  }
  if (state_->refresh(now)) {
    node_.runtime.log(
        LogLevel::notice,
        fmt::format("Cluster configuration epoch {}: {} members, {} slots here, moving to {} "
                    "nodes, importing from {}",
                    membership.config().epoch, membership.config().members.size(),
                    state_->owned_slot_count(), state_->migration_targets().size(),
                    state_->migration_sources().size()));
    if (migrator_) migrator_->wake();
  }
  follow_committed_role();
  keep_one_shards_history();
  hold_clients_for_manual_failover();
  if (state_->departed() && !departure_logged_) {
    departure_logged_ = true;
    node_.runtime.log(LogLevel::notice,
                      fmt::format("Cluster: this node left the cluster (a majority holds epoch {})",
                                  membership.config().epoch));
  }
  cluster::NodeFile file = state_->node_file();
  if (file != saved_) {
    const Status written = write_node_file(file);
    if (!written) {
      // Sending a vote that a crash could forget might let this node vote twice in one epoch.
      node_.runtime.log(LogLevel::warning, "Cluster config file not written: " +
                                               written.to_string() + "; messages held back");
      return;
    }
    saved_ = std::move(file);
  }
  send(out);
  const cluster::SlotMap* map = state_->slot_map();
  if (map != nullptr && map->epoch() != keys_checked_for_epoch_ && !node_.server.loading()) {
    keys_checked_for_epoch_ = map->epoch();
    drop_unowned_keys();
  }
}

// Replication follows the committed configuration: a replica member follows its shard's
// primary (REPLICAOF is refused in cluster mode), anyone else follows nobody.
void ClusterBus::follow_committed_role() {
  replication::Replication* replication = node_.replication;
  if (replication == nullptr) return;
  const std::optional<cluster::ShardAddress> primary = state_->primary_to_follow();
  // Back from being declared failed, a replica follows again only once it knows it is still a
  // member: WAIT must not count a copy the cluster may have given up on (its removal promotes
  // nobody with it, so a write only it acknowledged would be lost with the primary).
  if (primary && state_->membership().unsure_of_membership(now_ms())) return;
  if (primary && !primary->ip.empty()) {
    history_shard_ = primary->member->shard_id;  // a full or partial sync makes it so
    const auto& replica = replication->replica();
    if (!replica || replica->primary_host != primary->ip ||
        replica->primary_port != primary->member->client_port) {
      node_.runtime.log(LogLevel::notice,
                        fmt::format("Cluster: replica of {} ({}:{})", primary->member->node_id,
                                    primary->ip, primary->member->client_port));
      (void)replication->follow(primary->ip, primary->member->client_port);
    }
  } else if (replication->is_replica() && state_->is_member() && !state_->is_replica()) {
    node_.runtime.log(LogLevel::notice, "Cluster: this node is a primary now");
    replication->stop_following();
  }
}

// A manual failover: while a replica of this primary's shard takes over, clients' commands wait
// (as CLIENT PAUSE ALL: reads too, so that none reads here a value the new primary has already
// overwritten), and the replica can reach this node's last offset. Lifted once the hand-over
// committed (the held commands then run into this node's new map: -MOVED to the new primary) or
// the time is up. Runs before anything in the step can suspend, so no write slips in between
// the pause and the offset the engine reports next.
void ClusterBus::hold_clients_for_manual_failover() {
  cluster::Membership& membership = state_->membership();
  const int64_t until_ms = membership.failover_pause_until_ms();
  server::ClientPause& pause = node_.server.client_pause();
  if (until_ms >= 0 && !clients_held_for_failover_) {
    const int64_t left_ms = std::max<int64_t>(until_ms - now_ms(), 0);
    pause.pause(node_.runtime.now() + std::chrono::milliseconds(left_ms),
                server::PauseScope::all);
    membership.failover_pause_applied();
    clients_held_for_failover_ = true;
    node_.runtime.log(LogLevel::notice,
                      "Cluster: manual failover requested by a replica; clients paused");
  } else if (until_ms < 0 && clients_held_for_failover_) {
    clients_held_for_failover_ = false;
    pause.unpause();
    node_.runtime.log(LogLevel::notice, "Cluster: manual failover over; clients resume");
  }
  const uint64_t abandoned = membership.stats().manual_failovers_abandoned;
  if (abandoned != failovers_abandoned_logged_) {
    failovers_abandoned_logged_ = abandoned;
    node_.runtime.log(LogLevel::warning, "Cluster: manual failover timed out");
  }
}

// The keyspace holds one shard's writes: those of the shard this node is the primary of, or of
// the shard whose primary it follows. A node made the primary of another shard (a replica whose
// shard lost its primary founds one named after itself) must not keep them: in slots its new
// shard imports, a source sends clients that miss a key to look for it here (-ASK), and an old
// copy would be served. A replica promoted in its primary's place keeps its shard, and its keys;
// a replica whose shard lost its last primary with nobody promoted holds a history that ended
// (the slots passed on empty), so a shard it founds starts empty, even under the same name; and
// so does one founded by a node whose old shard left the configuration altogether.
void ClusterBus::keep_one_shards_history() {
  const cluster::ClusterConfig& config = state_->membership().config();
  // The shard whose writes the keys hold left the configuration (every member of it removed):
  // its history ended there, even if a shard of the same name is founded later (a node names
  // the shard it founds after itself, as it named the one it may have led before).
  if (!history_shard_.empty() && !config.empty() &&
      std::none_of(config.members.begin(), config.members.end(),
                   [&](const cluster::ConfigMember& m) { return m.shard_id == history_shard_; })) {
    history_shard_.clear();
  }
  const cluster::ConfigMember* me = config.find(state_->my_id());
  if (me == nullptr || node_.server.loading()) return;
  if (me->role == cluster::NodeRole::replica) {
    if (config.primary_of(me->shard_id) == nullptr) history_shard_.clear();
    return;
  }
  if (me->shard_id != history_shard_) {
    drop_every_key("this node now leads a shard other than the one its keys came from");
    history_shard_ = me->shard_id;
  }
}

void ClusterBus::send(const std::vector<cluster::Outgoing>& out) {
  for (const cluster::Outgoing& outgoing : out) {
    if (outgoing.to.ip.empty() || outgoing.to.port == 0) continue;
    // Datagrams may be lost anyway; the engine retries what matters.
    (void)node_.bus_socket->send_to(outgoing.to.ip, outgoing.to.port, outgoing.bytes);
  }
}

Result<std::optional<cluster::NodeFile>> ClusterBus::read_node_file() {
  Disk& disk = node_.runtime.disk();
  const std::string& path = node_.server.config().cluster.config_file;
  Result<uint64_t> size = disk.file_size(path);
  if (!size) {
    if (size.code() == Errc::not_found) return std::optional<cluster::NodeFile>();
    return size.status();
  }
  if (size.value() > constants::cluster_config_file_bytes_max) {
    return Status(Errc::corrupt, fmt::format("{} is {} bytes, more than a cluster file holds",
                                             path, size.value()));
  }
  std::string text(size.value(), '\0');
  size_t done = 0;
  while (done < text.size()) {
    Result<size_t> read = disk.read(path, done, std::span<char>(text).subspan(done));
    if (!read) return read.status();
    if (read.value() == 0) break;
    done += read.value();
  }
  text.resize(done);
  Result<cluster::NodeFile> parsed = cluster::parse_node_file(text);
  if (!parsed) return Status(parsed.code(), path + ": " + parsed.status().message());
  saved_ = parsed.value();
  return std::optional<cluster::NodeFile>(std::move(parsed).value());
}

// Temp file, sync, rename over the old one, sync the directory: a crash leaves the old file or
// the new one, never a mix.
Status ClusterBus::write_node_file(const cluster::NodeFile& file) {
  Disk& disk = node_.runtime.disk();
  const std::string& path = node_.server.config().cluster.config_file;
  const std::string temp = path + ".tmp";
  Result<std::unique_ptr<WritableFile>> opened = disk.open_append(temp, /*truncate=*/true);
  if (!opened) return opened.status();
  WritableFile& writable = *opened.value();
  Status status = writable.append(cluster::format_node_file(file));
  if (status) status = writable.sync();
  const Status closed = writable.close();
  if (!status) return status;
  if (!closed) return closed;
  if (Status renamed = disk.rename(temp, path); !renamed) return renamed;
  return disk.sync_dir(parent_dir(path));
}

void ClusterBus::drop_unowned_keys() {
  // A replica's primary's stream deletes what the shard lost; a node still following one (a
  // replica out of the configuration, until it rejoins or stops following) keeps its keys too,
  // or its keyspace would no longer be its primary's at its offset.
  if (state_->is_replica() || node_.server.is_replica()) return;
  if (!state_->is_member()) return drop_every_key("this node is out of the configuration");
  std::vector<std::string> unowned;
  node_.server.keyspace().for_each([&](const store::Entry& entry) {
    if (!state_->keeps_keys_of(cluster::key_slot(entry.key()))) unowned.emplace_back(entry.key());
  });
  if (unowned.empty()) return;
  for (const std::string& key : unowned) {
    if (!node_.server.keyspace().erase(key)) continue;
    const std::array<std::string_view, 2> del{"DEL", key};
    const std::array<server::ArgvView, 1> unit{server::ArgvView(del)};
    node_.server.propagate(unit);
    node_.server.key_modified(key);
  }
  node_.runtime.log(LogLevel::notice,
                    fmt::format("Cluster: dropped {} keys of slots this node neither serves nor "
                                "imports",
                                unowned.size()));
}

// Out of the configuration (removed after being declared failed, most often), or leading another
// shard than the keys came from: every key may be stale, and none is this node's to serve.
void ClusterBus::drop_every_key(std::string_view why) {
  store::Keyspace& keyspace = node_.server.keyspace();
  if (keyspace.size() == 0) return;
  // A primary's replicas must not receive the FLUSHALL below (one of them may be promoted with
  // the writes it acknowledged), and emptied, this node may not resume its history: a new one
  // with nobody attached; a full sync when it follows, or is followed, again.
  if (node_.replication != nullptr) node_.replication->abandon_history();
  node_.runtime.log(LogLevel::notice,
                    fmt::format("Cluster: dropped every key ({}): {}", keyspace.size(), why));
  node_.server.keyspace_flushing(keyspace.size());
  keyspace.clear();
  state_->count_data_drop();
  const std::array<std::string_view, 1> flush{"FLUSHALL"};
  const std::array<server::ArgvView, 1> unit{server::ArgvView(flush)};
  node_.server.propagate(unit);
}

}  // namespace ringcache::node
