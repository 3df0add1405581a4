#pragma once
// The simulated network: listeners by ip:port, connections between simulated hosts, latency per
// link, and the network faults — partitions (one-way or both ways), clogging (hold, then
// release), and connection resets. Bytes on a cut link are held, not lost (TCP retransmits);
// they flow again, in order, when the link heals.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/runtime.h"
#include "core/util/rng.h"
#include "runtime/sim/connection.h"
#include "runtime/sim/datagram.h"
#include "runtime/sim/latency.h"

namespace ringcache::sim {

class World;
class FaultCounters;
class SimRuntime;
struct ListenerState;

// A latency distribution for the directed links from hosts whose name matches `from` to hosts
// whose name matches `to` (glob patterns: "n*" the cache nodes, "c*" the clients, "n0" one host).
struct LinkLatencyRule {
  std::string from;
  std::string to;
  Latency latency;
};

struct NetworkOptions {
  Latency latency = Latency({{0.0, 50'000}, {0.5, 150'000}, {0.99, 1'000'000}, {1.0, 5'000'000}});
  // Per-link distributions replacing `latency`; the last matching rule wins.
  std::vector<LinkLatencyRule> links;
  // Each directed link is slower than `latency` by a factor drawn once in [1, 1 + spread].
  int64_t link_spread_percent = 100;
  // A connect with no answer (cut link) fails with timed_out after this long.
  int64_t connect_timeout_ns = 1'000'000'000;
  // Bytes a sender may have in flight plus unread at the receiver before write() waits.
  uint64_t window_bytes = 1 << 20;
  // Faults of datagram messages (Runtime::open_datagram).
  DatagramOptions datagrams;
};

// The state of one directed link between two hosts.
struct NetworkLink {
  int cut = 0;  // partitions holding the link down
  int64_t clogged_until_ns = 0;
  int64_t factor_percent = 100;
  const Latency* latency = nullptr;  // the scenario's distribution for this link
};

class Network {
 public:
  Network(World& world, FaultCounters& faults, uint64_t seed, NetworkOptions options);
  ~Network();

  // --- Runtime calls (see core/runtime.h) ------------------------------------------------------
  Result<std::unique_ptr<Listener>> listen(SimRuntime& runtime, const std::string& host,
                                           uint16_t port);
  Result<std::unique_ptr<Stream>> connect(SimRuntime& runtime, const std::string& host,
                                          uint16_t port);

  // --- used by streams -------------------------------------------------------------------------
  // Sends bytes (or the close marker) from `from_side` towards the other side.
  void send(const std::shared_ptr<Connection>& connection, int from_side, std::string bytes,
            bool fin);
  void reset(Connection& connection);
  void forget_listener(const std::string& ip, uint16_t port);

  // --- faults ----------------------------------------------------------------------------------
  // One way. Cuts nest: a link is up again once every cut of it has healed.
  void cut(const std::string& from_ip, const std::string& to_ip);
  void heal(const std::string& from_ip, const std::string& to_ip);
  void heal_all();
  // Holds everything on the link for `duration_ns`, then lets it through.
  void clog(const std::string& from_ip, const std::string& to_ip, int64_t duration_ns);
  bool link_up(const std::string& from_ip, const std::string& to_ip) const;
  // Resets the index-th live connection (in id order, modulo the count); false if none.
  bool reset_nth(uint64_t index);
  size_t live_connections();
  // The process died: its listeners vanish and its connections reset (peers see reset).
  void process_crashed(SimRuntime& runtime);

  // The address a process on `self_ip` means by `host` (loopback and "any" mean itself).
  static std::string resolve(const std::string& host, const std::string& self_ip);
  // A one-way delay for a message from `from_ip` to `to_ip`, drawn from the link's latency.
  int64_t sample_delay_ns(const std::string& from_ip, const std::string& to_ip) {
    return link_delay_ns(from_ip, to_ip);
  }
  DatagramNetwork& datagrams() { return *datagrams_; }

  // Every directed link used so far with the latency factor the seed drew for it, in address
  // order: "n0>c0 x1.37".
  std::vector<std::string> describe_links() const;
  // Names the host at `ip`, for the per-link latency rules (Simulation::add_host calls it).
  void name_host(const std::string& ip, const std::string& name) { host_names_[ip] = name; }
  const NetworkOptions& options() const { return options_; }
  World& world() { return world_; }

 private:
  using Link = NetworkLink;
  using LinkKey = std::pair<std::string, std::string>;

  Link& link(const std::string& from_ip, const std::string& to_ip);
  // The link a direction's bytes cross, looked up once per connection and direction.
  Link& direction_link(Connection& connection, int to_side);
  bool blocked(const std::string& from_ip, const std::string& to_ip);
  bool blocked(const Link& link) const;
  int64_t link_delay_ns(const std::string& from_ip, const std::string& to_ip);
  int64_t link_delay_ns(const Link& link);
  const Latency& latency_for(const std::string& from_ip, const std::string& to_ip) const;
  std::string host_name(const std::string& ip) const;  // the ip itself if unnamed
  // One more delivery event for the direction: it delivers the front in-flight segment.
  void schedule_delivery(const std::shared_ptr<Connection>& connection, int to_side);
  void arrive(Connection& connection, int to_side);
  void release_held(const std::string& from_ip, const std::string& to_ip);
  Result<std::unique_ptr<Stream>> finish_connect(SimRuntime& runtime, const std::string& ip,
                                                 uint16_t port);
  std::vector<std::shared_ptr<Connection>> live();

  World& world_;
  FaultCounters& faults_;
  Rng rng_;
  NetworkOptions options_;
  std::map<LinkKey, Link> links_;
  std::map<std::pair<std::string, uint16_t>, ListenerState*> listeners_;
  std::map<uint64_t, std::weak_ptr<Connection>> connections_;
  std::map<std::string, uint16_t> next_ephemeral_port_;
  std::map<std::string, std::string> host_names_;  // ip -> host name
  std::unique_ptr<DatagramNetwork> datagrams_;
  uint64_t next_connection_id_ = 1;
};

}  // namespace ringcache::sim
