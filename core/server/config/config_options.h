#pragma once
// The option table behind Config (config.cpp), assembled from groups that each live in their own
// file (config_options_<group>.cpp). An option is its redis.conf name and how to set and show it.

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/server/config/config.h"
#include "core/server/config/config_values.h"

namespace ringcache::server {

using OptionSetter = Status (*)(Config&, std::string_view value);
using OptionGetter = std::string (*)(const Config&);

struct Option {
  std::string_view name;
  bool is_mutable;
  bool takes_many_words;  // redis.conf lines like "save 3600 1 300 100" or "bind a b"
  OptionSetter set;
  OptionGetter get;
  bool hidden = false;  // left out of CONFIG GET patterns: only its exact name shows it
};

inline constexpr int64_t int_max = std::numeric_limits<int32_t>::max();
inline constexpr int64_t long_long_max = std::numeric_limits<int64_t>::max();

// Stores a parsed value via `assign`, or passes the parse error on.
template <typename T, typename Assign>
Status store(Result<T> parsed, Assign assign) {
  if (!parsed) return parsed.status();
  assign(parsed.value());
  return Status::ok();
}

inline std::string number(int64_t value) { return std::to_string(value); }

// The groups. Names must be unique across groups.
std::vector<Option> general_options();
std::vector<Option> encoding_options();  // *-max-listpack-*, list-max-listpack-size, ...
std::vector<Option> persistence_options();  // appendonly, appendfsync, auto-aof-rewrite-*, ...
std::vector<Option> pubsub_options();    // notify-keyspace-events, tracking-table-max-keys
std::vector<Option> cluster_options();      // cluster-enabled, cluster-port, cluster-seeds, ...
std::vector<Option> security_options();     // protected-mode, tls-*
std::vector<Option> client_limit_options();  // client-output-buffer-limit, client-query-buffer-limit
std::vector<Option> acl_options();          // aclfile, acllog-max-len, acl-pubsub-default
std::vector<Option> replication_options();  // replicaof, repl-backlog-*, replica-*, min-replicas-*

}  // namespace ringcache::server
