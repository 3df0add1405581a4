#include "runtime/sim/cluster/cluster.h"

#include <fmt/format.h>

#include "runtime/sim/simulation.h"

namespace ringcache::sim {
namespace {
// Node monotonic clocks start somewhere in their first ~11 days of uptime.
constexpr int64_t clock_offset_ns_max = 1'000'000LL * 1'000'000'000 / 1000;
}  // namespace

const char* role_name(NodeRole role) { return role == NodeRole::primary ? "primary" : "replica"; }

struct Cluster::Slot {
  Host* host = nullptr;
  std::unique_ptr<SimNode> node;
  bool started = false;   // node->start() succeeded
  bool crashing = false;  // crashed, fibers still unwinding
  bool restart_pending = false;
  bool wipe_pending = false;
  bool joined = true;  // false until a late node's join time
  int64_t join_at_ns = 0;
  bool leaving = false;
  bool departed = false;
};

int ClusterModeOptions::late_total() const {
  int total = late_nodes;
  for (const JoinEvent& join : joins) total += join.nodes;
  return total;
}

Cluster::Cluster(Simulation& sim, ClusterOptions options, NodeFactory factory, History& history,
                 uint64_t seed)
    : sim_(sim),
      options_(std::move(options)),
      factory_(std::move(factory)),
      history_(history),
      rng_(seed) {
  RING_ASSERT(factory_ && options_.nodes > 0);
  RING_ASSERT(options_.roles.empty() || static_cast<int>(options_.roles.size()) == options_.nodes);
}

Cluster::~Cluster() = default;

void Cluster::start() {
  for (int i = 0; i < options_.nodes; ++i) {
    const int64_t offset = rng_.between(0, clock_offset_ns_max);
    const int64_t skew_us =
        rng_.between(-options_.clock_skew_ms_max, options_.clock_skew_ms_max) * 1000;
    const int64_t drift = rng_.between(-options_.drift_ppm_max, options_.drift_ppm_max);
    auto slot = std::make_unique<Slot>();
    slot->host = &sim_.add_host(fmt::format("n{}", i), fmt::format("10.0.0.{}", i + 1),
                                NodeClock(offset, skew_us, drift));
    slot->host->disk_options = options_.disk;
    slot->host->disk.set_dir_entries_need_sync(options_.disk.crash.dir_entries_need_sync);
    slot->joined = !joins_late(i);
    slots_.push_back(std::move(slot));
  }
  assign_join_times();
  for (int i = 0; i < size(); ++i) {
    if (!joins_late(i)) {
      boot(i);
      continue;
    }
    sim_.world().at(slots_[i]->join_at_ns, "cluster.join", [this, i] {
      slots_[i]->joined = true;
      start_if_down(i);
    });
  }
}

// The `late_nodes` come first in the late range at `join_at_ns`, then each join's nodes in turn.
void Cluster::assign_join_times() {
  const ClusterModeOptions& mode = options_.mode;
  int next = options_.nodes - mode.late_total();
  for (int i = 0; i < mode.late_nodes; ++i) slots_.at(next++)->join_at_ns = mode.join_at_ns;
  for (const JoinEvent& join : mode.joins) {
    for (int i = 0; i < join.nodes; ++i) slots_.at(next++)->join_at_ns = join.at_ns;
  }
}

bool Cluster::joins_late(int index) const {
  return options_.mode.enabled && index >= options_.nodes - options_.mode.late_total();
}

int64_t Cluster::join_at_ns(int index) const { return slots_.at(index)->join_at_ns; }

bool Cluster::joined(int index) const { return slots_.at(index)->joined; }

bool Cluster::leaving(int index) const { return slots_.at(index)->leaving; }

void Cluster::set_leaving(int index, bool leaving) { slots_.at(index)->leaving = leaving; }

bool Cluster::departed(int index) const { return slots_.at(index)->departed; }

void Cluster::retire(int index) {
  Slot& slot = *slots_.at(index);
  slot.departed = true;
  slot.restart_pending = false;
  slot.wipe_pending = false;
  crash(index);
}

Host& Cluster::host(int index) { return *slots_.at(index)->host; }

SimRuntime* Cluster::process(int index) { return sim_.process(host(index)); }

SimNode* Cluster::node(int index) {
  Slot& slot = *slots_.at(index);
  return process(index) && slot.started ? slot.node.get() : nullptr;
}

bool Cluster::up(int index) { return process(index) != nullptr; }

bool Cluster::primary(int index) {
  RING_ASSERT(index >= 0 && index < options_.nodes);
  if (SimNode* running = node(index)) {
    const std::optional<ClusterView> view = running->cluster_view();
    if (view && view->member) return view->role == NodeRole::primary;
  }
  return options_.roles.empty() || options_.roles[index] == NodeRole::primary;
}

int Cluster::replica_of(int index) const {
  if (options_.replicas <= 0) return -1;
  const int shards = options_.nodes / (options_.replicas + 1);
  return index < shards ? -1 : (index - shards) % shards;
}

bool Cluster::paused(int index) {
  SimRuntime* runtime = process(index);
  return runtime && runtime->paused();
}

void Cluster::boot(int index) {
  Slot& slot = *slots_.at(index);
  if (std::exchange(slot.wipe_pending, false)) slot.host->disk.wipe();
  SimRuntime& runtime = sim_.boot(*slot.host);
  history_.node_events.push_back({NodeEvent::Kind::restart, index, sim_.world().now_ns()});
  NodeOptions options = {{"bind", slot.host->ip}, {"port", std::to_string(options_.port)}};
  if (options_.mode.enabled) add_cluster_options(index, options);
  options.insert(options.end(), options_.config.begin(), options_.config.end());
  runtime.spawn("boot", [this, index, &runtime, options = std::move(options)] {
    Slot& slot = *slots_.at(index);
    auto made = factory_(runtime, options);
    if (!made) {
      errors_.push_back(fmt::format("n{}: bad node options: {}", index, made.status().to_string()));
      return;
    }
    slot.node = std::move(made.value());
    if (Status status = slot.node->start(); !status) {
      errors_.push_back(fmt::format("n{}: start failed: {}", index, status.to_string()));
      return;
    }
    slot.started = true;
  });
}

void Cluster::add_cluster_options(int index, NodeOptions& options) const {
  const int bus_port = options_.port + options_.mode.bus_port_offset;
  std::string seeds;
  for (int i = 0; i < std::min(options_.mode.seeds, options_.nodes); ++i) {
    if (!seeds.empty()) seeds += ",";
    seeds += fmt::format("{}:{}", slots_[i]->host->ip, bus_port);
  }
  options.emplace_back("cluster-enabled", "yes");
  options.emplace_back("cluster-port", std::to_string(bus_port));
  options.emplace_back("cluster-seeds", seeds);
  if (const int primary = replica_of(index); primary >= 0) {
    options.emplace_back("cluster-replica-of",
                         fmt::format("{}:{}", slots_[primary]->host->ip, options_.port));
  }
}

void Cluster::crash(int index) {
  Slot& slot = *slots_.at(index);
  SimRuntime* runtime = process(index);
  if (runtime == nullptr) return;
  history_.node_events.push_back({NodeEvent::Kind::crash, index, sim_.world().now_ns()});
  slot.crashing = true;
  slot.started = false;
  sim_.crash(*slot.host, [this, index, runtime] { quiesced(index, runtime); });
}

void Cluster::quiesced(int index, SimRuntime* runtime) {
  Slot& slot = *slots_.at(index);
  runtime->begin_teardown();
  slot.node.reset();  // its memory is gone; its disk stays
  slot.crashing = false;
  if (std::exchange(slot.restart_pending, false)) boot(index);
}

void Cluster::restart(int index, bool wipe) {
  Slot& slot = *slots_.at(index);
  if (!slot.joined || slot.departed) return;
  slot.wipe_pending = slot.wipe_pending || wipe;
  if (wipe) history_.node_events.push_back({NodeEvent::Kind::wipe, index, sim_.world().now_ns()});
  if (up(index)) crash(index);
  if (slot.crashing) {
    slot.restart_pending = true;
  } else {
    boot(index);
  }
}

void Cluster::start_if_down(int index) {
  Slot& slot = *slots_.at(index);
  if (up(index) || slot.restart_pending || !slot.joined || slot.departed) return;
  if (slot.crashing) {
    slot.restart_pending = true;
  } else {
    boot(index);
  }
}

void Cluster::pause(int index) {
  if (SimRuntime* runtime = process(index)) runtime->pause();
}

void Cluster::resume(int index) {
  if (SimRuntime* runtime = process(index)) runtime->resume();
}

void Cluster::recover_all() {
  for (int i = 0; i < size(); ++i) {
    resume(i);
    start_if_down(i);
  }
}

bool Cluster::shutdown() {
  for (int i = 0; i < size(); ++i) slots_[i]->restart_pending = false;
  for (int i = 0; i < size(); ++i) crash(i);
  return sim_.shutdown();
}

std::vector<Target> Cluster::targets() const {
  std::vector<Target> out;
  for (int i = 0; i < static_cast<int>(slots_.size()); ++i) {
    out.push_back({slots_[i]->host->ip, options_.port, i});
  }
  return out;
}

std::vector<std::string> Cluster::describe() const {
  std::vector<std::string> lines;
  for (int i = 0; i < static_cast<int>(slots_.size()); ++i) {
    const Host& host = *slots_[i]->host;
    const bool primary = options_.roles.empty() || options_.roles[i] == NodeRole::primary;
    const int follows = replica_of(i);
    lines.push_back(fmt::format("{} {} {}{}: wall skew {}ms, drift {}ppm", host.name, host.ip,
                                role_name(primary ? NodeRole::primary : NodeRole::replica),
                                follows >= 0 ? fmt::format(" of n{}", follows) : "",
                                host.clock.wall_offset_us() / 1000, host.clock.drift_ppm()));
  }
  return lines;
}

}  // namespace ringcache::sim
