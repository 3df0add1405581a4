#include "runtime/sim/fault/injector.h"

#include <fmt/format.h>

#include <algorithm>

#include "runtime/sim/cluster/cluster.h"
#include "runtime/sim/simulation.h"

namespace ringcache::sim {

FaultInjector::FaultInjector(Simulation& sim, Cluster& cluster, FaultPlan plan)
    : sim_(sim), cluster_(cluster), plan_(std::move(plan)) {
  for (const auto& [kind, rate] : plan_.rates) {
    if (rate > 0) sim_.faults().enable(kind);
  }
  for (const FaultEvent& event : plan_.events) sim_.faults().enable(event.kind);
}

void FaultInjector::start() {
  for (const FaultEvent& event : plan_.events) {
    pending_.push_back(sim_.world().at(std::max(event.at_ns, sim_.world().now_ns()), "fault",
                                       [this, event] { apply(event); }));
  }
}

void FaultInjector::stop() {
  stopped_ = true;
  for (const auto& key : pending_) sim_.world().cancel(key);
  pending_.clear();
  sim_.network().heal_all();
  cluster_.recover_all();
}

void FaultInjector::later(int64_t delay_ns, std::string_view kind, fiber::Callback undo) {
  pending_.push_back(sim_.world().after(delay_ns, kind, std::move(undo)));
}

void FaultInjector::apply(const FaultEvent& event) {
  if (stopped_) return;
  sim_.faults().count(event.kind);
  RunDigest& digest = sim_.world().digest();
  digest.fold_bytes(event.kind);
  if (digest.verbose()) digest.note(sim_.world().now_ns(), "fault " + describe(event));
  const int node = event.node % cluster_.size();
  if (event.kind == fault_kind::crash) return crash(event);
  if (event.kind == fault_kind::wipe) return cluster_.restart(node, /*wipe=*/true);
  if (event.kind == fault_kind::pause) return pause(event);
  if (event.kind == fault_kind::partition) return partition(event, true);
  if (event.kind == fault_kind::one_way) return partition(event, false);
  if (event.kind == fault_kind::isolate) return isolate(event);
  if (event.kind == fault_kind::isolate_primaries) return isolate_primaries(event);
  if (event.kind == fault_kind::clog) return clog(event);
  if (event.kind == fault_kind::reset) {
    sim_.network().reset_nth(event.pick);
    return;
  }
  NodeClock& clock = cluster_.host(node).clock;
  if (event.kind == fault_kind::clock_jump)
    return clock.jump_wall(sim_.world().now_ns(), event.amount);
  if (event.kind == fault_kind::clock_drift) {
    return clock.set_drift_ppm(sim_.world().now_ns(), event.amount);
  }
  RING_ASSERT_MSG(false, "unknown fault kind");
}

void FaultInjector::crash(const FaultEvent& event) {
  const int node = event.node % cluster_.size();
  if (!cluster_.up(node)) return;
  cluster_.crash(node);
  later(event.duration_ns, "fault.restart", [this, node] {
    if (!stopped_) cluster_.start_if_down(node);
  });
}

void FaultInjector::pause(const FaultEvent& event) {
  const int node = event.node % cluster_.size();
  if (!cluster_.up(node) || cluster_.paused(node)) return;
  cluster_.pause(node);
  later(event.duration_ns, "fault.resume", [this, node] { cluster_.resume(node); });
}

void FaultInjector::partition(const FaultEvent& event, bool both_ways) {
  std::vector<std::string> ips = sim_.ips();
  Rng rng(event.pick);
  std::vector<std::string> a, b;
  for (const std::string& ip : ips) (rng.chance(0.5) ? a : b).push_back(ip);
  if (a.empty()) std::swap(a, b);
  if (b.empty()) {
    b.push_back(a.back());
    a.pop_back();
  }
  if (a.empty()) return;  // a single host cannot be split
  cut_between(a, b, both_ways, event.duration_ns);
}

void FaultInjector::isolate(const FaultEvent& event) {
  const std::string node_ip = cluster_.host(event.node % cluster_.size()).ip;
  std::vector<std::string> others;
  for (const std::string& ip : sim_.ips()) {
    if (ip != node_ip) others.push_back(ip);
  }
  cut_between({node_ip}, others, true, event.duration_ns);
}

void FaultInjector::isolate_primaries(const FaultEvent& event) {
  // Every link between a primary and any other host (clients, replicas, other primaries), each
  // pair once, cut both ways.
  Links links;
  std::vector<std::string> isolated;
  for (int i = 0; i < cluster_.size(); ++i) {
    if (!cluster_.primary(i)) continue;
    const std::string& primary_ip = cluster_.host(i).ip;
    for (const std::string& ip : sim_.ips()) {
      const bool done = std::find(isolated.begin(), isolated.end(), ip) != isolated.end();
      if (ip != primary_ip && !done) links.emplace_back(primary_ip, ip);
    }
    isolated.push_back(primary_ip);
  }
  cut_links(links, true, event.duration_ns);
}

void FaultInjector::clog(const FaultEvent& event) {
  const std::string node_ip = cluster_.host(event.node % cluster_.size()).ip;
  for (const std::string& ip : sim_.ips()) {
    if (ip == node_ip) continue;
    sim_.network().clog(node_ip, ip, event.duration_ns);
    sim_.network().clog(ip, node_ip, event.duration_ns);
  }
}

void FaultInjector::cut_between(const std::vector<std::string>& a,
                                const std::vector<std::string>& b, bool both_ways,
                                int64_t duration_ns) {
  Links links;
  for (const std::string& from : a) {
    for (const std::string& to : b) links.emplace_back(from, to);
  }
  cut_links(links, both_ways, duration_ns);
}

void FaultInjector::cut_links(const Links& links, bool both_ways, int64_t duration_ns) {
  Network& network = sim_.network();
  for (const auto& [from, to] : links) {
    network.cut(from, to);
    if (both_ways) network.cut(to, from);
  }
  later(duration_ns, "fault.heal", [this, links, both_ways] {
    if (stopped_) return;  // stop() healed everything already
    for (const auto& [from, to] : links) {
      sim_.network().heal(from, to);
      if (both_ways) sim_.network().heal(to, from);
    }
  });
}

}  // namespace ringcache::sim
