#include "runtime/sim/scenario/scenario.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <filesystem>
#include <optional>
#include <set>
#include <sstream>

#include "runtime/sim/scenario/toml_reader.h"
#include "runtime/sim/time_units.h"
#include "runtime/sim/workload/key_source.h"

namespace ringcache::sim {
namespace {

// `[[cluster.joins]]` (at_ms, nodes: how many late nodes boot then), `[[cluster.leaves]]`
// (at_ms, node: which node is sent CLUSTER LEAVE) and `[[cluster.failovers]]` (at_ms, node: which
// replica is sent CLUSTER FAILOVER, force: with FORCE), each list in time order.
void read_membership_events(TomlReader& in, ClusterOptions& cluster) {
  ClusterModeOptions& m = cluster.mode;
  in.tables("joins", [&](TomlReader& join) {
    m.joins.push_back({join.integer("at_ms", 0, 0, 3'600'000) * ns_per_ms,
                       static_cast<int>(join.integer("nodes", 1, 1, cluster.nodes))});
  });
  in.tables("leaves", [&](TomlReader& leave) {
    m.leaves.push_back({leave.integer("at_ms", 0, 0, 3'600'000) * ns_per_ms,
                        static_cast<int>(leave.integer("node", 0, 0, cluster.nodes - 1))});
  });
  in.tables("failovers", [&](TomlReader& failover) {
    m.failovers.push_back({failover.integer("at_ms", 0, 0, 3'600'000) * ns_per_ms,
                           static_cast<int>(failover.integer("node", 0, 0, cluster.nodes - 1)),
                           failover.boolean("force", false)});
  });
  std::stable_sort(m.failovers.begin(), m.failovers.end(),
                   [](const FailoverEvent& a, const FailoverEvent& b) { return a.at_ns < b.at_ns; });
  std::stable_sort(m.joins.begin(), m.joins.end(),
                   [](const JoinEvent& a, const JoinEvent& b) { return a.at_ns < b.at_ns; });
  std::stable_sort(m.leaves.begin(), m.leaves.end(),
                   [](const LeaveEvent& a, const LeaveEvent& b) { return a.at_ns < b.at_ns; });
  if (!m.enabled && (!m.joins.empty() || !m.leaves.empty())) {
    in.error(m.joins.empty() ? "leaves" : "joins", "joins and leaves need mode = \"cluster\"");
  }
  if (m.late_total() >= cluster.nodes) {
    in.error("joins", fmt::format("{} late node(s) of {}: one node at least must start the cluster",
                                  m.late_total(), cluster.nodes));
  }
  if (!m.leaves.empty() && m.leaves.size() + 1 >= static_cast<size_t>(cluster.nodes)) {
    in.error("leaves", "a cluster needs two nodes left after its leaves");
  }
}

// `mode = "cluster"`: the nodes form one cluster (ClusterModeOptions); "independent" (the
// default): each node is a cache of its own.
void read_cluster_mode(TomlReader& in, ClusterOptions& cluster) {
  const std::string mode = in.text("mode", "independent");
  if (mode != "independent" && mode != "cluster") {
    in.error("mode", fmt::format("unknown mode '{}' (independent or cluster)", mode));
  }
  ClusterModeOptions& m = cluster.mode;
  m.enabled = mode == "cluster";
  m.bus_port_offset =
      static_cast<uint16_t>(in.integer("bus_port_offset", m.bus_port_offset, 1, 50000));
  m.seeds = static_cast<int>(in.integer("seeds", m.seeds, 1, 200));
  m.late_nodes = static_cast<int>(in.integer("late_nodes", 0, 0, cluster.nodes - 1));
  m.join_at_ns = in.integer("join_at_ms", 0, 0, 3'600'000) * ns_per_ms;
  read_membership_events(in, cluster);
  cluster.view_sample_ns = in.integer("view_sample_ms", 1, 1, 1000) * ns_per_ms;
  cluster.overlap_margin_ns = in.integer("overlap_margin_ms", 1000, 0, 60'000) * ns_per_ms;
}

// `replicas = N` (cluster mode): every shard has a primary and N replicas (ClusterOptions).
void read_replicas(TomlReader& in, ClusterOptions& cluster) {
  cluster.replicas = static_cast<int>(in.integer("replicas", 0, 0, 2));
  if (cluster.replicas == 0) return;
  const int per_shard = cluster.replicas + 1;
  if (!cluster.mode.enabled || cluster.mode.late_total() > 0 || !cluster.roles.empty() ||
      cluster.nodes % per_shard != 0) {
    in.error("replicas", fmt::format("replicas need mode = \"cluster\", no late nodes, no roles, "
                                     "and nodes a multiple of {}",
                                     per_shard));
    return;
  }
  const int shards = cluster.nodes / per_shard;
  for (int i = 0; i < cluster.nodes; ++i) {
    cluster.roles.push_back(i < shards ? NodeRole::primary : NodeRole::replica);
  }
}

// Manual failovers need replicas to hand shards to.
void check_failovers(TomlReader& in, const ClusterOptions& cluster) {
  if (!cluster.mode.failovers.empty() && cluster.replicas == 0) {
    in.error("failovers", "failovers need replicas (replicas = 1 or 2)");
  }
}

void read_cluster(TomlReader& in, Scenario& out) {
  ClusterOptions& cluster = out.cluster;
  cluster.nodes = static_cast<int>(in.integer("nodes", cluster.nodes, 1, 200));
  cluster.port = static_cast<uint16_t>(in.integer("port", cluster.port, 1, 65535));
  cluster.clock_skew_ms_max = in.integer("clock_skew_ms", 0, 0, 3'600'000);
  cluster.drift_ppm_max = in.integer("drift_ppm", 0, 0, 100'000);
  if (auto roles = in.strings("roles")) {
    if (static_cast<int>(roles->size()) != cluster.nodes) {
      in.error("roles", fmt::format("{} role(s) for {} node(s)", roles->size(), cluster.nodes));
    }
    for (const std::string& role : *roles) {
      if (role != "primary" && role != "replica") {
        in.error("roles", fmt::format("unknown role '{}' (primary or replica)", role));
      }
      cluster.roles.push_back(role == "replica" ? NodeRole::replica : NodeRole::primary);
    }
    if (static_cast<int>(cluster.roles.size()) != cluster.nodes) cluster.roles.clear();
  }
  in.table("config", [&](TomlReader& config) {
    for (const std::string& name : config.keys()) {
      cluster.config.emplace_back(name, config.text(name, ""));
    }
  });
  read_cluster_mode(in, cluster);
  read_replicas(in, cluster);
  check_failovers(in, cluster);
}

// `keys = { trace = "FILE" }` or `keys = { generator = "zipf:1.0", objects = N, ... }`: the
// keys come from a cache trace (key_source.h). A relative path is taken from the scenario file's
// directory, so a scenario runs from anywhere.
void read_key_source(TomlReader& in, std::string_view source_name, WorkloadOptions& w) {
  KeySourceSpec spec;
  spec.trace_path = in.text("trace", "");
  spec.format = in.text("format", "");
  spec.generator = in.text("generator", "");
  spec.objects = static_cast<uint64_t>(in.integer("objects", 100'000, 1, 1LL << 31));
  spec.requests = static_cast<uint64_t>(in.integer("requests", 1'000'000, 1, 1LL << 31));
  spec.object_size = in.text("object_size", "");
  spec.seed = static_cast<uint64_t>(in.integer("seed", 1, 0, INT64_MAX));
  if (!spec.trace_path.empty() && std::filesystem::path(spec.trace_path).is_relative()) {
    spec.trace_path =
        (std::filesystem::path(source_name).parent_path() / spec.trace_path).string();
  }
  auto loaded = load_key_source(spec);
  if (!loaded) return in.error(spec.trace_path.empty() ? "generator" : "trace",
                               loaded.status().message());
  w.key_trace = std::move(loaded.value());
  w.key_trace_sizes = !spec.trace_path.empty() || !spec.object_size.empty();
}

void read_workload(TomlReader& in, std::string_view source_name, Scenario& out) {
  WorkloadOptions& w = out.workload;
  w.clients = static_cast<int>(in.integer("clients", w.clients, 1, 1000));
  w.rate_per_s = in.number("rate", w.rate_per_s, 0.001, 1e7);
  if (in.is_table("keys")) {
    in.table("keys", [&](TomlReader& t) { read_key_source(t, source_name, w); });
  } else {
    w.keys = static_cast<int>(in.integer("keys", w.keys, 1, 1'000'000));
  }
  w.fill_on_miss = in.boolean("fill_on_miss", w.fill_on_miss);
  w.skewed_keys = in.boolean("skewed_keys", w.skewed_keys);
  auto [value_min, value_max] = in.range("value_bytes", w.value_bytes_min, w.value_bytes_max);
  w.value_bytes_min = static_cast<int>(value_min);
  w.value_bytes_max = static_cast<int>(value_max);
  std::tie(w.ttl_ms_min, w.ttl_ms_max) = in.range("ttl_ms", w.ttl_ms_min, w.ttl_ms_max);
  w.set_ttl_percent = static_cast<int>(in.integer("set_ttl_percent", w.set_ttl_percent, 0, 100));
  w.wait_percent = static_cast<int>(in.integer("wait_percent", w.wait_percent, 0, 100));
  w.wait_timeout_ms = in.integer("wait_timeout_ms", w.wait_timeout_ms, 0, 60'000);
  w.max_ops = static_cast<uint64_t>(in.integer("max_ops", 0, 0, INT64_MAX));
  w.request_timeout_ns = in.integer("request_timeout_ms", 1000, 1, 3'600'000) * ns_per_ms;
  in.table("mix", [&](TomlReader& mix) {
    OpMix& m = w.mix;
    m = OpMix{0, 0, 0, 0, 0, 0, 0};
    m.set = static_cast<int>(mix.integer("set", 0, 0, 1000));
    m.get = static_cast<int>(mix.integer("get", 0, 0, 1000));
    m.del = static_cast<int>(mix.integer("del", 0, 0, 1000));
    m.incr = static_cast<int>(mix.integer("incr", 0, 0, 1000));
    m.expire = static_cast<int>(mix.integer("expire", 0, 0, 1000));
    m.pexpire = static_cast<int>(mix.integer("pexpire", 0, 0, 1000));
    m.script_incr = static_cast<int>(mix.integer("script_incr", 0, 0, 1000));
    if (m.total() == 0) mix.error("mix", "at least one operation needs a weight");
  });
}

void read_network(TomlReader& in, Scenario& out) {
  NetworkOptions& net = out.network;
  const auto latency_us = [](TomlReader& table) -> std::optional<Latency> {
    auto points = table.quantiles("latency_us");
    if (!points) return std::nullopt;
    for (auto& point : *points) point.second *= 1000;
    return Latency(std::move(*points));
  };
  if (auto latency = latency_us(in)) net.latency = std::move(*latency);
  in.tables("links", [&](TomlReader& rule) {
    std::string from = rule.text("from", "*");
    std::string to = rule.text("to", "*");
    auto latency = latency_us(rule);
    if (!latency) return rule.error("latency_us", "a link rule needs its distribution");
    net.links.push_back(LinkLatencyRule{std::move(from), std::move(to), std::move(*latency)});
  });
  net.link_spread_percent = in.integer("link_spread_percent", net.link_spread_percent, 0, 10000);
  net.connect_timeout_ns = in.integer("connect_timeout_ms", 1000, 1, 3'600'000) * ns_per_ms;
  net.datagrams.drop = in.number("datagram_drop", 0, 0, 1);
  net.datagrams.duplicate = in.number("datagram_duplicate", 0, 0, 1);
  net.datagrams.reorder = in.number("datagram_reorder", 0, 0, 1);
}

void read_disk(TomlReader& in, Scenario& out) {
  DiskFaultRates& rates = out.disk_faults;
  rates.read_bitflip = in.number("read_bitflip", 0, 0, 1);
  rates.append_error = in.number("append_error", 0, 0, 1);
  rates.sync_error = in.number("sync_error", 0, 0, 1);
  rates.metadata_error = in.number("metadata_error", 0, 0, 1);
  rates.slow = in.number("slow", 0, 0, 1);
  rates.torn = in.number("torn", 0, 0, 1);
  CrashOptions& crash = out.cluster.disk.crash;
  crash.keep_unsynced_chance = in.number("keep_unsynced", crash.keep_unsynced_chance, 0, 1);
  crash.dir_entries_need_sync = in.boolean("dir_entries_need_sync", false);
}

FaultEvent read_event(TomlReader& in) {
  FaultEvent event;
  event.at_ns = in.integer("at_ms", 0, 0, INT64_MAX / ns_per_ms) * ns_per_ms;
  event.kind = in.text("kind", "");
  const auto& kinds = fault_kinds();
  if (std::find(kinds.begin(), kinds.end(), event.kind) == kinds.end()) {
    in.error("kind", fmt::format("unknown fault kind '{}'", event.kind));
  }
  event.node = static_cast<int>(in.integer("node", 0, 0, 1000));
  event.duration_ns = in.integer("duration_ms", 1000, 0, 3'600'000) * ns_per_ms;
  event.amount = in.integer("amount", 0, INT64_MIN, INT64_MAX);
  event.pick = static_cast<uint64_t>(in.integer("pick", 0, 0, INT64_MAX));
  return event;
}

void read_faults(TomlReader& in, Scenario& out) {
  FaultPlanOptions& faults = out.faults;
  faults.swarm = in.boolean("swarm", false);
  out.disk_faults.swarm = faults.swarm;
  in.table("rates", [&](TomlReader& rates) {
    for (const std::string& kind : rates.keys()) {
      const auto& kinds = fault_kinds();
      if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
        rates.error(kind, "unknown fault kind");
      }
      faults.rates[kind] = rates.number(kind, 0, 0, 1000);
    }
  });
  in.table("limits", [&](TomlReader& limits) {
    FaultLimits& l = faults.limits;
    std::tie(l.duration_ms_min, l.duration_ms_max) =
        limits.range("duration_ms", l.duration_ms_min, l.duration_ms_max);
    l.clock_jump_ms_max = limits.integer("clock_jump_ms", l.clock_jump_ms_max, 0, 86'400'000);
    l.drift_ppm_max = limits.integer("drift_ppm", l.drift_ppm_max, 0, 100'000);
  });
  in.tables("schedule", [&](TomlReader& event) { faults.schedule.push_back(read_event(event)); });
}

void read_top(TomlReader& in, std::string_view source_name, Scenario& out) {
  out.name = in.text("name", out.name);
  in.text("description", "");
  out.node_kind = in.text("node", out.node_kind);
  out.duration_ns = static_cast<int64_t>(in.number("duration_s", 10, 0.001, 1e6) * 1e9);
  out.liveness_ns = static_cast<int64_t>(in.number("liveness_s", 5, 0, 1e6) * 1e9);
  out.buggify = in.boolean("buggify", false);
  if (auto names = in.strings("checkers")) {
    for (const std::string& name : *names) {
      const auto& known = checker_names();
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        in.error("checkers", fmt::format("unknown checker '{}'", name));
      }
    }
    out.checkers = *names;
  }
  in.table("cluster", [&](TomlReader& t) { read_cluster(t, out); });
  in.table("workload", [&](TomlReader& t) { read_workload(t, source_name, out); });
  in.table("network", [&](TomlReader& t) { read_network(t, out); });
  in.table("disk", [&](TomlReader& t) { read_disk(t, out); });
  in.table("faults", [&](TomlReader& t) { read_faults(t, out); });
}

toml::table& subtable(toml::table& table, std::string_view key) {
  if (table[key].as_table() == nullptr) table.insert_or_assign(key, toml::table{});
  return *table[key].as_table();
}

}  // namespace

const std::vector<std::string>& checker_names() {
  static const std::vector<std::string> names = {
      "cluster_convergence", "cluster_coverage",      "cluster_moves_keep_data",
      "cluster_owned_reads", "cluster_single_writer", "crash_prefix",
      "expiry",              "linearizability",       "liveness",
      "manual_failovers_done", "maxmemory",           "replica_convergence",
      "shard_single_primary",  "stale_read",          "wait_confirmed_kept"};
  return names;
}

Result<Scenario> parse_scenario(std::string_view toml_text, std::string_view source_name) {
  toml::table table;
  try {
    table = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& error) {
    return Status(
        Errc::invalid_argument,
        fmt::format("{}:{}: {}", source_name, error.source().begin.line, error.description()));
  }
  Scenario scenario;
  scenario.name = std::string(source_name);
  auto problems = std::make_shared<std::vector<std::string>>();
  {
    TomlReader reader(table, "", problems);  // reports unread keys when it goes
    read_top(reader, source_name, scenario);
  }
  if (!problems->empty()) {
    return Status(Errc::invalid_argument, fmt::format("{}: {}", source_name, problems->front()));
  }
  return scenario;
}

std::string rewrite_scenario(std::string_view toml_text, const std::vector<FaultEvent>& events,
                             const DiskFaultRates& disk_rates, uint64_t max_ops) {
  toml::table table = toml::parse(toml_text);
  toml::table& disk = subtable(table, "disk");
  disk.insert_or_assign("read_bitflip", disk_rates.read_bitflip);
  disk.insert_or_assign("append_error", disk_rates.append_error);
  disk.insert_or_assign("sync_error", disk_rates.sync_error);
  disk.insert_or_assign("metadata_error", disk_rates.metadata_error);
  disk.insert_or_assign("slow", disk_rates.slow);
  disk.insert_or_assign("torn", disk_rates.torn);
  toml::table* faults = &subtable(table, "faults");
  faults->erase("rates");
  faults->insert_or_assign("swarm", false);
  toml::array schedule;
  for (const FaultEvent& event : events) {
    schedule.push_back(toml::table{{"at_ms", event.at_ns / ns_per_ms},
                                   {"kind", event.kind},
                                   {"node", event.node},
                                   {"duration_ms", event.duration_ns / ns_per_ms},
                                   {"amount", event.amount},
                                   {"pick", static_cast<int64_t>(event.pick & INT64_MAX)}});
  }
  faults->insert_or_assign("schedule", std::move(schedule));
  toml::table* workload = &subtable(table, "workload");
  workload->insert_or_assign("max_ops", static_cast<int64_t>(max_ops));
  std::ostringstream out;
  out << table << "\n";
  return out.str();
}

}  // namespace ringcache::sim
