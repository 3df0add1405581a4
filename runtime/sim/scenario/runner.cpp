#include "runtime/sim/scenario/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "core/constants.h"
#include "runtime/sim/check/checkers.h"
#include "runtime/sim/check/memory_monitor.h"
#include "runtime/sim/cluster/cluster.h"
#include "runtime/sim/cluster/cluster_monitor.h"
#include "runtime/sim/cluster/planned_failovers.h"
#include "runtime/sim/cluster/planned_leaves.h"
#include "runtime/sim/fault/disk_rates.h"
#include "runtime/sim/fault/injector.h"
#include "runtime/sim/simulation.h"

namespace ringcache::sim {
namespace {

// The history is reserved for the operations the rate asks (and a margin) up to this many:
// growing a vector of ~200-byte operations copies it again and again.
constexpr double history_reserve_ops_max = 4'000'000;

size_t expected_ops(const Scenario& scenario) {
  const double seconds = static_cast<double>(scenario.duration_ns + scenario.liveness_ns) / 1e9;
  double ops = scenario.workload.rate_per_s * seconds * 1.1 + 64;
  if (scenario.workload.max_ops > 0) ops = std::min(ops, scenario.workload.max_ops * 1.1 + 64);
  return static_cast<size_t>(std::min(ops, history_reserve_ops_max));
}

bool wants(const Scenario& scenario, std::string_view checker) {
  return std::find(scenario.checkers.begin(), scenario.checkers.end(), checker) !=
         scenario.checkers.end();
}

void report_options(RunReport& report, const Scenario& scenario, Cluster& cluster,
                    const FaultPlan& plan) {
  auto& out = report.options;
  out.push_back(
      fmt::format("scenario {}: {} node(s) of kind {}, {} client(s) at {} ops/s, "
                  "safety {}, liveness bound {}",
                  scenario.name, scenario.cluster.nodes, scenario.node_kind,
                  scenario.workload.clients, scenario.workload.rate_per_s,
                  format_time(scenario.duration_ns), format_time(scenario.liveness_ns)));
  for (const std::string& line : cluster.describe()) out.push_back("node " + line);
  for (int i = 0; i < cluster.size(); ++i) {
    if (cluster.joins_late(i)) {
      out.push_back(fmt::format("join of n{} at {}", i, format_time(cluster.join_at_ns(i))));
    }
  }
  for (const LeaveEvent& leave : scenario.cluster.mode.leaves) {
    out.push_back(fmt::format("leave of n{} at {}", leave.node, format_time(leave.at_ns)));
  }
  for (const FailoverEvent& failover : scenario.cluster.mode.failovers) {
    out.push_back(fmt::format("failover{} to n{} at {}", failover.force ? " (force)" : "",
                              failover.node, format_time(failover.at_ns)));
  }
  out.push_back("network latency " + scenario.network.latency.describe());
  for (const LinkLatencyRule& rule : scenario.network.links) {
    out.push_back(fmt::format("network latency {} -> {}: {}", rule.from, rule.to,
                              rule.latency.describe()));
  }
  const DiskFaultRates& disk = report.disk_rates;
  out.push_back(fmt::format("disk faults bitflip={} append_error={} sync_error={} slow={} torn={}",
                            disk.read_bitflip, disk.append_error, disk.sync_error, disk.slow,
                            disk.torn) +
                (disk.metadata_error > 0 ? fmt::format(" metadata_error={}", disk.metadata_error)
                                         : std::string()));
  std::string rates;
  for (const auto& [kind, rate] : plan.rates) rates += fmt::format(" {}={:.3f}/s", kind, rate);
  out.push_back("fault rates" + (rates.empty() ? std::string(" none") : rates));
  out.push_back(fmt::format("fault plan: {} event(s)", plan.events.size()));
  for (const FaultEvent& event : plan.events) out.push_back("  fault " + describe(event));
}

// Choices the seed made as the run went: each link's latency factor, drawn on first use.
void report_links(RunReport& report, const Network& network) {
  const std::vector<std::string> links = network.describe_links();
  if (links.empty()) return;
  report.options.push_back(fmt::format("network link latency factors: {}", fmt::join(links, " ")));
}

void report_buggify(RunReport& report, const Buggify& buggify) {
  if (!buggify.enabled()) return;
  for (const auto& [site, state] : buggify.sites()) {
    report.options.push_back(
        fmt::format("buggify {} {} (fired {})", site, state.on ? "on" : "off", state.fired));
  }
}

// The node timeout the nodes run with (cluster-node-timeout; the node's default otherwise).
int64_t node_timeout_ns(const ClusterOptions& options) {
  constexpr int64_t node_default_ms = 5000;
  int64_t ms = node_default_ms;
  for (const auto& [name, value] : options.config) {
    if (name == "cluster-node-timeout") ms = std::strtoll(value.c_str(), nullptr, 10);
  }
  return ms * 1'000'000;
}

// The longest a message may take on a link: the slowest latency distribution, slowed by the
// largest link factor, plus the longest hold of a clog or a pause in the fault plan.
int64_t move_transit_max_ns(const NetworkOptions& network, const FaultPlan& plan) {
  int64_t latency = network.latency.max_ns();
  for (const LinkLatencyRule& rule : network.links) latency = std::max(latency, rule.latency.max_ns());
  int64_t hold = 0;
  for (const FaultEvent& event : plan.events) {
    if (event.kind == fault_kind::clog || event.kind == fault_kind::pause) {
      hold = std::max(hold, event.duration_ns);
    }
  }
  return latency * (100 + network.link_spread_percent) / 100 + hold;
}

// How long a node cut off from the majority may go on serving: its contact window.
int64_t contact_window_ns(const ClusterOptions& options) {
  return node_timeout_ns(options) * constants::cluster_contact_window_pct / 100;
}

// Bus bytes each node sent and received per second of the run (datagrams of its host).
void report_bus_traffic(RunReport& report, Simulation& sim, Cluster& cluster) {
  const double seconds = static_cast<double>(sim.world().now_ns()) / 1e9;
  if (seconds <= 0) return;
  const auto& traffic = sim.network().datagrams().traffic();
  double sent_sum = 0, sent_max = 0, received_sum = 0, received_max = 0;
  for (int i = 0; i < cluster.size(); ++i) {
    auto found = traffic.find(cluster.host(i).ip);
    if (found == traffic.end()) continue;
    const double sent = static_cast<double>(found->second.bytes_sent) / seconds;
    const double received = static_cast<double>(found->second.bytes_received) / seconds;
    sent_sum += sent;
    received_sum += received;
    sent_max = std::max(sent_max, sent);
    received_max = std::max(received_max, received);
  }
  const double nodes = cluster.size();
  report.notes.push_back(fmt::format(
      "cluster bus bytes per node per second over {:.1f}s: sent mean {:.0f} max {:.0f}, "
      "received mean {:.0f} max {:.0f}",
      seconds, sent_sum / nodes, sent_max, received_sum / nodes, received_max));
}

void run_phases(RunReport& report, const Scenario& scenario, World& world, Workload& workload,
                FaultInjector& injector, ClusterMonitor* monitor) {
  std::function<bool()> safety_done;
  if (scenario.workload.max_ops > 0) {
    safety_done = [&] { return workload.budget_spent() && workload.in_flight() == 0; };
  }
  if (world.run(safety_done, scenario.duration_ns) == World::Stop::deadlock) {
    report.failures.push_back("deadlock in the safety phase: nothing can run, nothing is due");
  }
  injector.stop();
  workload.begin_liveness_phase();
  const int64_t healed_at = world.now_ns();
  // In a cluster the liveness phase also waits for one map everywhere and every slot served.
  const auto stop = world.run(
      [&] { return workload.every_client_progressed() && (!monitor || monitor->settled()); },
      healed_at + scenario.liveness_ns);
  if (wants(scenario, "liveness") && stop != World::Stop::done) {
    report.failures.push_back(fmt::format(
        "liveness: not every client completed an operation within {} after the faults stopped "
        "at {}",
        format_time(scenario.liveness_ns), format_time(healed_at)));
  }
}

// replica_convergence: with the workload stopped, the replicas must reach their primaries'
// keyspaces within the liveness bound (the monitor compares digests every watch period). The wait
// also covers one map everywhere again: a move in flight when the liveness phase ended may commit
// its end meanwhile, and the convergence check reads the final maps.
void catch_up_replicas(RunReport& report, const Scenario& scenario, World& world,
                       Workload& workload, ClusterMonitor& monitor) {
  workload.stop();
  monitor.watch_replicas();
  const int64_t from = world.now_ns();
  const auto stop = world.run(
      [&] { return workload.finished() && monitor.replicas_converged() && monitor.settled(); },
      from + scenario.liveness_ns);
  report.notes.push_back(fmt::format(
      "replicas {} their primaries' keyspaces after {}",
      stop == World::Stop::done ? "reached" : "did not reach", format_time(world.now_ns() - from)));
}

void report_final_states(RunReport& report, Cluster& cluster) {
  for (int i = 0; i < cluster.size(); ++i) {
    SimNode* node = cluster.node(i);
    if (node == nullptr) {
      report.notes.push_back(fmt::format("n{} final: down", i));
      continue;
    }
    report.notes.push_back(fmt::format("n{} final: keys={} used_memory={} maxmemory={}", i,
                                       node->keys(), node->used_memory(), node->maxmemory()));
  }
}

// What a restart keeps, by the AOF options (docs/aof-format.md): without an AOF nothing; with
// appendfsync always every acknowledged write; with everysec all but the last ~2 s (checked with
// 2.5 s: fsync latency and the 1 s interval add up); with no, some prefix of the writes.
void set_restart_model(const ClusterOptions& options, CheckInput& input) {
  bool aof = false;
  std::string fsync = "everysec";
  for (const auto& [name, value] : options.config) {
    if (name == "appendonly") aof = value == "yes";
    if (name == "appendfsync") fsync = value;
  }
  input.restarts_lose_data = !aof;
  if (!aof || fsync == "always") return;
  input.crash_revert_window_ns = fsync == "no" ? INT64_MAX : 2'500'000'000;
}

bool eviction_on(const ClusterOptions& options) {
  for (const auto& [name, value] : options.config) {
    if (name == "maxmemory-policy" && value != "noeviction") return true;
  }
  return false;
}

void run_checkers(RunReport& report, const Scenario& scenario, CheckInput& input,
                  const ClusterOptions& cluster, const std::vector<std::string>& memory) {
  input.may_evict = eviction_on(cluster);
  set_restart_model(cluster, input);
  for (const CheckResult& result : run_history_checkers(scenario.checkers, input)) {
    for (const std::string& problem : result.problems) {
      report.failures.push_back(result.checker + ": " + problem);
    }
    if (result.inconclusive) {
      report.notes.push_back(result.checker + ": inconclusive for some keys (over budget)");
    }
    for (const std::string& note : result.notes) {
      report.notes.push_back(result.checker + ": " + note);
    }
    for (const auto& [name, count] : result.counts) {
      report.checked.emplace_back(result.checker + "." + name, count);
    }
  }
  for (const std::string& problem : memory) report.failures.push_back("maxmemory: " + problem);
}

}  // namespace

RunReport run_scenario(const Scenario& scenario, uint64_t seed,
                       const RunDigest::Sink& trace_sink) {
  RunReport report;
  report.seed = seed;
  NodeFactory factory = node_factory(scenario.node_kind);
  if (!factory) {
    report.failures.push_back(fmt::format("node kind '{}' is not built here (have: {})",
                                          scenario.node_kind, fmt::join(node_kinds(), ", ")));
    return report;
  }
  Simulation sim(seed, SimulationOptions{scenario.network, scenario.buggify});
  if (trace_sink) sim.world().digest().set_sink(trace_sink);
  Rng setup(sim.world().fork_seed());

  ClusterOptions cluster_options = scenario.cluster;
  // Its own generator, so resolving swarm or not draws nothing from `setup`: a shrunk scenario
  // with the rates written out replays the same run.
  Rng disk_rng(setup.fork_seed());
  report.disk_rates = resolve_disk_rates(scenario.disk_faults, disk_rng);
  apply_disk_rates(report.disk_rates, cluster_options.disk, sim.faults());
  History history;
  history.ops.reserve(expected_ops(scenario));
  Cluster cluster(sim, cluster_options, factory, history, setup.fork_seed());
  Rng plan_rng(setup.fork_seed());
  FaultPlan plan =
      make_fault_plan(scenario.faults, cluster_options.nodes, scenario.duration_ns, plan_rng);
  report.fault_events = plan.events;
  cluster.start();
  WorkloadOptions workload_options = scenario.workload;
  workload_options.cluster = cluster_options.mode.enabled;
  Workload workload(sim, workload_options, cluster.targets(), history, setup.fork_seed());
  workload.start();
  OperatorConsole console(sim, cluster, scenario.workload.request_timeout_ns);
  PlannedLeaves leaves(sim, cluster, console, cluster_options.mode.leaves);
  leaves.start();
  PlannedFailovers failovers(sim, cluster, console, cluster_options.mode.failovers);
  failovers.start();
  FaultInjector injector(sim, cluster, plan);
  injector.start();
  MemoryMonitor memory(sim.world(), cluster,
                       static_cast<uint64_t>(scenario.workload.value_bytes_max) + 1024);
  if (wants(scenario, "maxmemory")) memory.start();
  std::optional<ClusterMonitor> monitor;
  if (cluster_options.mode.enabled) {
    monitor.emplace(sim.world(), cluster, history,
                    ClusterMonitorOptions{
                        cluster_options.view_sample_ns,
                        contact_window_ns(cluster_options) + cluster_options.overlap_margin_ns,
                        node_timeout_ns(cluster_options)});
    monitor->start();
  }

  report_options(report, scenario, cluster, plan);
  run_phases(report, scenario, sim.world(), workload, injector, monitor ? &*monitor : nullptr);
  // A failover asked for late may still be under way when every client has made progress (its
  // old primary held their commands meanwhile): its attempt gets the time the node gives it.
  if (wants(scenario, "manual_failovers_done") && !failovers.settled(sim.world().now_ns())) {
    World& world = sim.world();
    world.run([&] { return failovers.settled(world.now_ns()); },
              world.now_ns() + scenario.liveness_ns);
  }
  if (monitor && wants(scenario, "replica_convergence")) {
    catch_up_replicas(report, scenario, sim.world(), workload, *monitor);
  }
  const ClusterRecord* cluster_record = monitor ? &monitor->finish() : nullptr;
  if (monitor) {
    for (const std::string& line : monitor->metrics()) report.notes.push_back("cluster " + line);
    for (const std::string& line : leaves.notes()) report.notes.push_back("cluster " + line);
    for (const std::string& line : failovers.notes()) report.notes.push_back("cluster " + line);
    report_bus_traffic(report, sim, cluster);
  }
  report_final_states(report, cluster);
  workload.stop();
  if (!cluster.shutdown()) report.failures.push_back("shutdown: some fibers never ended");

  CheckInput input{history, {}, sim.world().now_ns(), false, true};
  input.cluster = cluster_record;
  input.planned_moves_keep_data = wants(scenario, "cluster_moves_keep_data");
  input.replicas = cluster_options.replicas > 0;
  input.move_transit_max_ms = move_transit_max_ns(sim.network().options(), plan) / 1'000'000;
  for (int i = 0; i < cluster.size(); ++i) input.clocks.push_back(&cluster.host(i).clock);
  run_checkers(report, scenario, input, cluster_options, memory.problems());
  for (const std::string& error : cluster.errors()) report.failures.push_back(error);
  if (wants(scenario, "manual_failovers_done")) {
    for (const std::string& line : failovers.unfinished()) report.failures.push_back(line);
  }
  report_links(report, sim.network());
  report_buggify(report, sim.buggify());

  report.ops = history.ops.size();
  report.trace_hex = sim.world().digest().hash_hex();
  report.events = sim.world().digest().events();
  report.sim_ns = sim.world().now_ns();
  report.faults = sim.faults().summary();
  report.pass = report.failures.empty();
  return report;
}

}  // namespace ringcache::sim
