#pragma once
// What every simulated host shares: the world (time, scheduler, trace), the network, the fault
// sites and the fault counters. Passed explicitly; the simulator has no globals.

namespace ringcache::sim {

class World;
class Network;
class Buggify;
class FaultCounters;

struct SimEnv {
  World& world;
  Network& network;
  Buggify& buggify;
  FaultCounters& faults;
};

}  // namespace ringcache::sim
