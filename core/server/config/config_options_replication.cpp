// Replication's options (ReplicationOptions), with redis.conf's names and ranges; each also
// under the slave-* name older redis.conf files use. `replicaof` is read at startup only: at run
// time REPLICAOF changes whom the node follows.

#include <fmt/format.h>

#include <algorithm>

#include "core/protocol/ascii.h"
#include "core/protocol/split_args.h"
#include "core/server/config/config_options.h"

namespace ringcache::server {
namespace {

Status set_replicaof(Config& c, std::string_view value) {
  std::vector<std::string> words;
  protocol::split_args(value, words);
  if (words.size() == 2 && protocol::iequals(words[0], "no") &&
      protocol::iequals(words[1], "one")) {
    c.replication.replicaof_host.clear();
    c.replication.replicaof_port = 0;
    return Status::ok();
  }
  if (words.size() != 2) return Status(Errc::invalid_argument, "replicaof takes host and port");
  auto port = parse_bounded_int(words[1], 1, 65535);
  if (!port) return port.status();
  c.replication.replicaof_host = words[0];
  c.replication.replicaof_port = static_cast<uint16_t>(port.value());
  return Status::ok();
}

std::string get_replicaof(const Config& c) {
  if (c.replication.replicaof_host.empty()) return "";
  return fmt::format("{} {}", c.replication.replicaof_host, c.replication.replicaof_port);
}

template <bool ReplicationOptions::*field>
Option yes_no(std::string_view name) {
  return {name, true, false,
          [](Config& c, std::string_view v) {
            return store(parse_yes_no(v), [&](bool on) { c.replication.*field = on; });
          },
          [](const Config& c) { return std::string(c.replication.*field ? "yes" : "no"); }};
}

template <int64_t ReplicationOptions::*field, int64_t low, int64_t high>
Option bounded(std::string_view name) {
  return {name, true, false,
          [](Config& c, std::string_view v) {
            return store(parse_bounded_int(v, low, high),
                         [&](int64_t n) { c.replication.*field = n; });
          },
          [](const Config& c) { return number(c.replication.*field); }};
}

Option backlog_size(std::string_view name) {
  return {name, true, false,
          [](Config& c, std::string_view v) {
            auto bytes = parse_memory(v);
            if (!bytes) return bytes.status();
            // As Redis, a smaller size is raised to the minimum rather than refused.
            c.replication.backlog_size_bytes =
                std::max(bytes.value(), constants::repl_backlog_size_min_bytes);
            return Status::ok();
          },
          [](const Config& c) { return number(c.replication.backlog_size_bytes); }};
}

Option masterauth() {
  return {"masterauth", true, false,
          [](Config& c, std::string_view v) {
            c.replication.masterauth = std::string(v);
            return Status::ok();
          },
          [](const Config& c) { return c.replication.masterauth; }};
}

}  // namespace

std::vector<Option> replication_options() {
  using R = ReplicationOptions;
  std::vector<Option> options = {
      {"replicaof", false, true, set_replicaof, get_replicaof},
      {"slaveof", false, true, set_replicaof, get_replicaof},
      masterauth(),
      backlog_size("repl-backlog-size"),
      bounded<&R::backlog_ttl_seconds, 0, int_max>("repl-backlog-ttl"),
      bounded<&R::ping_replica_period_seconds, 1, int_max>("repl-ping-replica-period"),
      bounded<&R::ping_replica_period_seconds, 1, int_max>("repl-ping-slave-period"),
      bounded<&R::timeout_seconds, 1, int_max>("repl-timeout"),
      yes_no<&R::replica_read_only>("replica-read-only"),
      yes_no<&R::replica_read_only>("slave-read-only"),
      yes_no<&R::replica_serve_stale_data>("replica-serve-stale-data"),
      yes_no<&R::replica_serve_stale_data>("slave-serve-stale-data"),
      bounded<&R::min_replicas_to_write, 0, int_max>("min-replicas-to-write"),
      bounded<&R::min_replicas_to_write, 0, int_max>("min-slaves-to-write"),
      bounded<&R::min_replicas_max_lag_seconds, 0, int_max>("min-replicas-max-lag"),
      bounded<&R::min_replicas_max_lag_seconds, 0, int_max>("min-slaves-max-lag"),
  };
  return options;
}

}  // namespace ringcache::server
