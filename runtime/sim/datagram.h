#pragma once
// Simulated datagrams: messages between host:port endpoints over the same links as the streams
// (latency per link, partitions, clogs), with the faults datagrams allow and streams hide: each
// message may be dropped, duplicated, or delayed past later ones (reordered). A cut or clogged
// link loses datagrams instead of holding them, as UDP does.

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "core/runtime.h"
#include "core/util/rng.h"

namespace ringcache::sim {

class Network;
class World;
class FaultCounters;
class SimRuntime;

// Chances per message, each counted as a fault kind when non-zero.
struct DatagramOptions {
  double drop = 0;       // net.dgram_drop: the message vanishes
  double duplicate = 0;  // net.dgram_duplicate: a second copy arrives, independently delayed
  double reorder = 0;    // net.dgram_reorder: held back by up to reorder_delay_ns extra
  int64_t reorder_delay_ns = 20'000'000;
};

// One bound socket's state, shared by the socket object and the network's table.
struct DatagramEndpoint {
  std::string ip;
  uint16_t port = 0;
  SimRuntime* owner = nullptr;
  bool closed = false;
  std::deque<Datagram> inbox;
  std::unique_ptr<WaitQueue> readers;
};

// Datagram traffic of one host, counted at the sender (whatever the faults did to it after)
// and at the receiver (what was delivered): the cluster bus's cost per node.
struct DatagramTraffic {
  uint64_t messages_sent = 0;
  uint64_t bytes_sent = 0;
  uint64_t messages_received = 0;
  uint64_t bytes_received = 0;
};

class DatagramNetwork {
 public:
  DatagramNetwork(Network& network, World& world, FaultCounters& faults, uint64_t seed,
                  DatagramOptions options);

  Result<std::unique_ptr<DatagramSocket>> open(SimRuntime& runtime, const std::string& host,
                                               uint16_t port);
  // Sends from `from` (never suspends); the faults are decided here, on the sender's side.
  Status send(const DatagramEndpoint& from, const std::string& host, uint16_t port,
              std::string_view message);
  // The socket closed: its address is free again; a parked receiver wakes.
  void close(DatagramEndpoint& endpoint);
  // The process died: its sockets vanish (messages to them are lost).
  void process_crashed(SimRuntime& runtime);
  // Traffic by host address since the start of the run.
  const std::map<std::string, DatagramTraffic>& traffic() const { return traffic_; }

 private:
  void deliver_after(int64_t delay_ns, std::string to_ip, uint16_t to_port, Datagram message);

  Network& network_;
  World& world_;
  FaultCounters& faults_;
  Rng rng_;
  DatagramOptions options_;
  std::map<std::pair<std::string, uint16_t>, std::shared_ptr<DatagramEndpoint>> endpoints_;
  std::map<std::string, uint16_t> next_ephemeral_port_;
  std::map<std::string, DatagramTraffic> traffic_;
};

}  // namespace ringcache::sim
