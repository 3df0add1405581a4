#pragma once
// The node's options, named as in redis.conf, settable from a config file, the command line
// (--name value) and CONFIG SET; readable with CONFIG GET. Pure: the runtime reads the file and
// passes its text in.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/constants.h"
#include "core/runtime.h"
#include "core/server/config/aof_config.h"
#include "core/store/encoding_limits.h"
#include "core/store/eviction_policy.h"
#include "core/util/status.h"

namespace ringcache::server {

// A bus address to join a cluster through (cluster-seeds).
struct ClusterSeed {
  std::string host;
  uint16_t port = 0;
  bool operator==(const ClusterSeed&) const = default;
};

// cluster-* options (docs/cluster.md). Only the migration rate can change at run time.
struct ClusterOptions {
  bool enabled = false;
  uint16_t port = 0;  // the bus port; 0: the client port + cluster_port_offset, as Redis
  int64_t node_timeout_ms = constants::cluster_node_timeout_ms_default;
  std::string config_file = constants::cluster_config_file_default;  // inside `dir`
  std::vector<ClusterSeed> seeds;
  uint32_t vnodes = constants::cluster_vnodes_default;
  std::string announce_ip;  // empty: the bind address
  uint64_t migration_rate_bytes = constants::cluster_migration_rate_default;  // per second; 0: no limit
  // cluster-replica-of host:port: join as a replica of the primary at that client address.
  std::string replica_of_host;
  uint16_t replica_of_port = 0;
};

// Replication options (docs/replication.md), named as redis.conf names them (the slave-* names
// are accepted too).
struct ReplicationOptions {
  std::string replicaof_host;  // replicaof at startup; empty: a primary
  uint16_t replicaof_port = 0;
  std::string masterauth;      // sent with AUTH to the primary when set
  int64_t backlog_size_bytes = constants::repl_backlog_size_default_bytes;
  int64_t backlog_ttl_seconds = constants::repl_backlog_ttl_default_seconds;  // 0: never freed
  bool replica_read_only = true;
  bool replica_serve_stale_data = true;
  int64_t min_replicas_to_write = 0;  // 0: writes never wait for replicas
  int64_t min_replicas_max_lag_seconds = constants::min_replicas_max_lag_default_seconds;
  int64_t ping_replica_period_seconds = constants::repl_ping_replica_period_default_seconds;
  int64_t timeout_seconds = constants::repl_timeout_default_seconds;
};

// tls-* options (docs/security.md): which ports and links use TLS, and the settings the runtime
// builds its TLS contexts from.
struct TlsOptions {
  uint16_t port = 0;         // tls-port: RESP over TLS; 0: none
  uint16_t http_port = 0;    // tls-http-port: the HTTP API over TLS; 0: none
  bool replication = false;  // tls-replication: a replica's link to its primary uses TLS
  bool cluster = false;      // tls-cluster: slot migration connections between nodes use TLS
  TlsSettings settings;
  // Whether the node needs TLS contexts at all.
  bool in_use() const { return port != 0 || http_port != 0 || replication || cluster; }
};

// client-output-buffer-limit for one class of clients: closed at once past the hard limit, or
// once above the soft limit for soft_seconds without a break. 0: no such limit.
struct OutputBufferLimit {
  uint64_t hard_bytes = 0;
  uint64_t soft_bytes = 0;
  int64_t soft_seconds = 0;
  bool operator==(const OutputBufferLimit&) const = default;
};

// The classes as Redis' CONFIG GET client-output-buffer-limit names them.
struct OutputBufferLimits {
  OutputBufferLimit normal{constants::obuf_normal_hard_bytes_default,
                           constants::obuf_normal_soft_bytes_default,
                           constants::obuf_normal_soft_seconds_default};
  OutputBufferLimit replica{constants::obuf_replica_hard_bytes_default,
                            constants::obuf_replica_soft_bytes_default,
                            constants::obuf_replica_soft_seconds_default};
  OutputBufferLimit pubsub{constants::obuf_pubsub_hard_bytes_default,
                           constants::obuf_pubsub_soft_bytes_default,
                           constants::obuf_pubsub_soft_seconds_default};
};

struct Config {
  uint16_t port = constants::port_default;
  uint16_t http_port = 0;          // HTTP API port; 0: no HTTP listener
  std::string bind = constants::bind_default;
  store::EvictionConfig eviction;  // maxmemory, maxmemory-policy, -samples, lfu-log-factor, ...
  store::EncodingLimits encoding;  // *-max-listpack-*: when collections leave compact encodings
  AofConfig aof;      // appendonly, appendfsync, appendfilename, ...
  int hz = constants::hz_default;
  std::string dir = ".";
  std::string requirepass;         // empty: no password (sets the ACL default user's)
  // --- ACL (core/server/acl/) ---
  std::string aclfile;  // users from this file, not from "user" lines (ACL LOAD/SAVE)
  int64_t acllog_max_len = constants::acllog_max_len_default;
  bool acl_pubsub_all_channels = false;  // acl-pubsub-default allchannels (else resetchannels)
  // The "user name rule..." lines of the config file, in order (words after "user").
  std::vector<std::vector<std::string>> acl_user_lines;
  int64_t timeout_seconds = 0;     // idle client timeout; 0: never
  // protected-mode: with no password for the default user, only loopback clients are let in.
  bool protected_mode = true;
  // client-query-buffer-limit: a client whose unparsed input reaches it is closed.
  int64_t client_query_buffer_limit_bytes = constants::client_query_buffer_limit_default_bytes;
  OutputBufferLimits output_buffer_limits;  // client-output-buffer-limit
  TlsOptions tls;
  int64_t proto_max_bulk_len = constants::proto_max_bulk_len_default;
  int64_t maxclients = constants::maxclients_default;
  // maxmemory-clients: what all clients' buffers may hold together (0: no limit), in bytes or,
  // with maxmemory_clients_percent, in percent of maxmemory.
  int64_t maxmemory_clients = 0;
  bool maxmemory_clients_percent = false;
  std::string loglevel = "notice";
  std::string logfile;             // empty: standard output
  std::string save;                // accepted for client compatibility; no RDB snapshots are taken
  int64_t slowlog_log_slower_than_us = constants::slowlog_log_slower_than_us_default;
  int64_t slowlog_max_len = constants::slowlog_max_len_default;
  int64_t latency_monitor_threshold_ms = constants::latency_monitor_threshold_ms_default;
  uint32_t notify_keyspace_events = 0;  // KeyspaceEventClass bits; 0: no notifications
  // key-load-delay (a testing aid, hidden from CONFIG GET patterns as in Redis): microseconds
  // the node waits after each AOF record it replays at startup, to watch it while -LOADING.
  int64_t key_load_delay_us = 0;
  int64_t tracking_table_max_keys = constants::tracking_table_keys_max_default;  // 0: no limit
  // busy-reply-threshold (alias lua-time-limit): a script running longer lets other clients in,
  // answered -BUSY. 0: never.
  int64_t busy_reply_threshold_ms = constants::busy_reply_threshold_ms_default;
  ClusterOptions cluster;
  ReplicationOptions replication;

  // The cluster bus port: cluster-port, or the client port + cluster_port_offset.
  uint16_t cluster_bus_port() const;
  // The ip this node gives other nodes and clients: cluster-announce-ip, or the bind address
  // (empty when that is a wildcard: the peers then use the address the bus messages come from).
  std::string cluster_announced_ip() const;
  // Set by the process that starts the node, for INFO server (empty in tests and simulations).
  std::string executable;
  std::string config_file;

  // Sets one option by its redis.conf name (case-insensitive) from its text form ("100mb",
  // "yes"). Errors name the option, in Redis' words where CONFIG SET has them.
  Status set(std::string_view name, std::string_view value);
  // The text form CONFIG GET shows; nullopt for an unknown name.
  std::optional<std::string> get(std::string_view name) const;
  // Every (name, value) whose name matches a glob pattern (CONFIG GET pattern), sorted by name.
  std::vector<std::pair<std::string, std::string>> matching(std::string_view pattern) const;
  // Whether an option can be changed at run time (CONFIG SET); port/bind/dir cannot yet.
  static bool is_mutable(std::string_view name);
};

// Parses redis.conf text: one "name value..." per line, '#' comments, quoted values.
// Errors give the line number and the offending option.
Result<Config> parse_config_text(std::string_view text, Config base = {});
// Applies "--name value" pairs from the command line on top of `base`.
Result<Config> apply_command_line(const std::vector<std::string>& args, Config base);

}  // namespace ringcache::server
