#pragma once
// A simulation: the world plus the network, the fault sites and counters, and the simulated
// hosts with the processes (SimRuntime incarnations) running on them. Owns them all and tears
// them down in the right order: a process is destroyed only after its last fiber has ended.

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "runtime/sim/buggify.h"
#include "runtime/sim/faults.h"
#include "runtime/sim/host.h"
#include "runtime/sim/network.h"
#include "runtime/sim/sim_runtime.h"
#include "runtime/sim/world.h"

namespace ringcache::sim {

struct SimulationOptions {
  NetworkOptions network;
  bool buggify = false;
};

class Simulation {
 public:
  explicit Simulation(uint64_t seed, SimulationOptions options = {});
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  World& world() { return world_; }
  Network& network() { return network_; }
  FaultCounters& faults() { return faults_; }
  Buggify& buggify() { return buggify_; }
  SimEnv env() { return SimEnv{world_, network_, buggify_, faults_}; }

  // Hosts live as long as the simulation; names and addresses must be unique.
  Host& add_host(std::string name, std::string ip, NodeClock clock = NodeClock(0, 0, 0));
  Host& host(const std::string& name);
  // Every host's address, in the order added.
  std::vector<std::string> ips() const;

  // Starts a process on `host`; none may be running there.
  SimRuntime& boot(Host& host);
  // The running process on `host`, or nullptr.
  SimRuntime* process(const Host& host);
  // Crashes the running process on `host` (if any). Once its last fiber has ended,
  // `on_quiesced` runs (drop everything that refers to the process there) and then the process
  // object is destroyed.
  void crash(Host& host, std::function<void()> on_quiesced = {});
  // Ends the run: resumes and crashes every process and runs until all fibers have ended.
  // Returns false if some fiber never ended (it was blocked outside the runtime).
  bool shutdown(std::function<void(Host&)> on_process_gone = {});

 private:
  World world_;
  FaultCounters faults_;
  Buggify buggify_;
  Network network_;
  std::deque<Host> hosts_;                                      // stable addresses
  std::map<std::string, std::unique_ptr<SimRuntime>> running_;  // by host name
  std::map<std::pair<std::string, uint64_t>, std::unique_ptr<SimRuntime>> crashed_;
};

}  // namespace ringcache::sim
