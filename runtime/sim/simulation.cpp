#include "runtime/sim/simulation.h"

#include "core/util/assert.h"

namespace ringcache::sim {
namespace {
// Far enough for any unwinding fiber; a process that needs longer never ends.
constexpr int64_t shutdown_grace_ns = 3600LL * 1'000'000'000;
}  // namespace

Simulation::Simulation(uint64_t seed, SimulationOptions options)
    : world_(seed),
      buggify_(world_.fork_seed(), options.buggify),
      network_(world_, faults_, world_.fork_seed(), std::move(options.network)) {}

Simulation::~Simulation() {
  if (!running_.empty() || !crashed_.empty()) shutdown();
}

Host& Simulation::add_host(std::string name, std::string ip, NodeClock clock) {
  for (const Host& existing : hosts_) {
    RING_ASSERT_MSG(existing.name != name && existing.ip != ip, "duplicate host");
  }
  network_.name_host(ip, name);
  return hosts_.emplace_back(std::move(name), std::move(ip), clock, world_.fork_seed());
}

Host& Simulation::host(const std::string& name) {
  for (Host& candidate : hosts_) {
    if (candidate.name == name) return candidate;
  }
  RING_ASSERT_MSG(false, "no such host");
  RING_UNREACHABLE();
}

std::vector<std::string> Simulation::ips() const {
  std::vector<std::string> out;
  for (const Host& host : hosts_) out.push_back(host.ip);
  return out;
}

SimRuntime& Simulation::boot(Host& host) {
  RING_ASSERT_MSG(running_.count(host.name) == 0, "a process already runs on this host");
  auto runtime = std::make_unique<SimRuntime>(env(), host);
  SimRuntime& ref = *runtime;
  running_[host.name] = std::move(runtime);
  world_.digest().event("sim.boot", world_.now_ns(), ref.incarnation());
  return ref;
}

SimRuntime* Simulation::process(const Host& host) {
  auto found = running_.find(host.name);
  return found == running_.end() ? nullptr : found->second.get();
}

void Simulation::crash(Host& host, std::function<void()> on_quiesced) {
  auto found = running_.find(host.name);
  if (found == running_.end()) return;
  const std::pair<std::string, uint64_t> key{host.name, found->second->incarnation()};
  SimRuntime& runtime = *found->second;
  crashed_[key] = std::move(found->second);
  running_.erase(found);
  runtime.set_on_quiesced([this, key, on_quiesced = std::move(on_quiesced)] {
    if (on_quiesced) on_quiesced();
    crashed_.erase(key);
  });
  runtime.crash();
}

bool Simulation::shutdown(std::function<void(Host&)> on_process_gone) {
  std::vector<Host*> hosts;
  for (auto& [name, runtime] : running_) hosts.push_back(&runtime->host());
  for (Host* host : hosts) {
    crash(*host, [on_process_gone, host] {
      if (on_process_gone) on_process_gone(*host);
    });
  }
  const int64_t until = world_.now_ns() + shutdown_grace_ns;
  world_.run([this] { return crashed_.empty() && world_.live_fibers() == 0; }, until);
  return crashed_.empty() && world_.live_fibers() == 0;
}

}  // namespace ringcache::sim
