// The cluster options (docs/cluster.md): Redis' names where Redis has the option, ours for the
// seeds, the ring's token count and the migration rate. All but the rate are read once at start.

#include <fmt/format.h>

#include "core/server/config/config_options.h"

namespace ringcache::server {
namespace {

// "host:port": the port after the last ':' (an IPv6 host may be written in brackets).
Result<ClusterSeed> parse_seed(std::string_view text) {
  const size_t colon = text.rfind(':');
  auto bad = [&] {
    return Status(Errc::invalid_argument,
                  fmt::format("Invalid seed '{}': expected host:port of a cluster bus", text));
  };
  if (colon == std::string_view::npos || colon == 0) return bad();
  std::string_view host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  Result<int64_t> port = parse_bounded_int(text.substr(colon + 1), 1, 65535);
  if (!port) return bad();
  return ClusterSeed{std::string(host), static_cast<uint16_t>(port.value())};
}

// Comma- or space-separated "host:port" bus addresses; empty clears the list.
Status set_seeds(Config& c, std::string_view value) {
  std::vector<ClusterSeed> seeds;
  size_t start = 0;
  while (start <= value.size()) {
    const size_t end = std::min(value.find_first_of(", ", start), value.size());
    std::string_view item = value.substr(start, end - start);
    start = end + 1;
    if (item.empty()) continue;
    Result<ClusterSeed> seed = parse_seed(item);
    if (!seed) return seed.status();
    seeds.push_back(seed.value());
  }
  c.cluster.seeds = std::move(seeds);
  return Status::ok();
}

// "host:port" of the primary's client port; empty: a primary.
Status set_replica_of(Config& c, std::string_view value) {
  if (value.empty()) {
    c.cluster.replica_of_host.clear();
    c.cluster.replica_of_port = 0;
    return Status::ok();
  }
  Result<ClusterSeed> address = parse_seed(value);
  if (!address) {
    return Status(Errc::invalid_argument,
                  fmt::format("Invalid primary '{}': expected host:port of its clients", value));
  }
  c.cluster.replica_of_host = address.value().host;
  c.cluster.replica_of_port = address.value().port;
  return Status::ok();
}

std::string get_seeds(const Config& c) {
  std::string text;
  for (const ClusterSeed& seed : c.cluster.seeds) {
    if (!text.empty()) text += ',';
    if (seed.host.find(':') != std::string::npos) {  // IPv6: brackets keep the port apart
      fmt::format_to(std::back_inserter(text), "[{}]:{}", seed.host, seed.port);
    } else {
      fmt::format_to(std::back_inserter(text), "{}:{}", seed.host, seed.port);
    }
  }
  return text;
}

}  // namespace

uint16_t Config::cluster_bus_port() const {
  if (cluster.port != 0) return cluster.port;
  // A TLS-only node (port 0) counts from its tls-port, as Redis.
  const uint16_t client_port = port == 0 && tls.port != 0 ? tls.port : port;
  return static_cast<uint16_t>((client_port + constants::cluster_port_offset) % 65536);
}

std::string Config::cluster_announced_ip() const {
  if (!cluster.announce_ip.empty()) return cluster.announce_ip;
  if (bind == "0.0.0.0" || bind == "*" || bind == "::" || bind == "::*") return "";
  return bind;
}

std::vector<Option> cluster_options() {
  return {
      {"cluster-announce-ip", false, false,
       [](Config& c, std::string_view v) {
         c.cluster.announce_ip = std::string(v);
         return Status::ok();
       },
       [](const Config& c) { return c.cluster.announce_ip; }},
      {"cluster-config-file", false, false,
       [](Config& c, std::string_view v) {
         if (v.empty()) return Status(Errc::invalid_argument, "cluster-config-file is empty");
         c.cluster.config_file = std::string(v);
         return Status::ok();
       },
       [](const Config& c) { return c.cluster.config_file; }},
      {"cluster-enabled", false, false,
       [](Config& c, std::string_view v) {
         return store(parse_yes_no(v), [&](bool enabled) { c.cluster.enabled = enabled; });
       },
       [](const Config& c) { return std::string(c.cluster.enabled ? "yes" : "no"); }},
      // Bytes per second streamed to the new owners of this node's slots (0: no limit); CONFIG
      // SET takes effect at the next chunk.
      {"cluster-migration-rate", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_memory(v), [&](int64_t bytes) {
           c.cluster.migration_rate_bytes = static_cast<uint64_t>(bytes);
         });
       },
       [](const Config& c) { return number(static_cast<int64_t>(c.cluster.migration_rate_bytes)); }},
      {"cluster-node-timeout", false, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, constants::cluster_node_timeout_ms_min, long_long_max),
                      [&](int64_t ms) { c.cluster.node_timeout_ms = ms; });
       },
       [](const Config& c) { return number(c.cluster.node_timeout_ms); }},
      {"cluster-port", false, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 0, 65535),
                      [&](int64_t port) { c.cluster.port = static_cast<uint16_t>(port); });
       },
       [](const Config& c) { return number(c.cluster.port); }},
      {"cluster-replica-of", false, false, set_replica_of,
       [](const Config& c) {
         return c.cluster.replica_of_host.empty()
                    ? std::string()
                    : fmt::format("{}:{}", c.cluster.replica_of_host, c.cluster.replica_of_port);
       }},
      {"cluster-seeds", false, true, set_seeds, get_seeds},
      {"cluster-vnodes", false, false,
       [](Config& c, std::string_view v) {
         return store(
             parse_bounded_int(v, constants::cluster_vnodes_min, constants::cluster_vnodes_max),
             [&](int64_t count) { c.cluster.vnodes = static_cast<uint32_t>(count); });
       },
       [](const Config& c) { return number(c.cluster.vnodes); }},
  };
}

}  // namespace ringcache::server
