#include "runtime/sim/network.h"

#include <fmt/format.h>

#include "core/util/glob.h"
#include "runtime/sim/faults.h"
#include "runtime/sim/sim_runtime.h"
#include "runtime/sim/stream.h"
#include "runtime/sim/world.h"

namespace ringcache::sim {
namespace {
constexpr uint16_t stream_ephemeral_port_first = 40000;

bool is_loopback_or_any(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "0.0.0.0" || host == "::" ||
         host == "::1" || host.empty();
}

}  // namespace

std::string Network::resolve(const std::string& host, const std::string& self_ip) {
  return is_loopback_or_any(host) ? self_ip : host;
}

Network::Network(World& world, FaultCounters& faults, uint64_t seed, NetworkOptions options)
    : world_(world),
      faults_(faults),
      rng_(seed),
      options_(std::move(options)),
      // Its own stream of random numbers: datagram traffic does not shift the streams' draws.
      datagrams_(std::make_unique<DatagramNetwork>(*this, world, faults, seed ^ 0x6467726dULL,
                                                   options_.datagrams)) {}

Network::~Network() = default;

std::string Network::host_name(const std::string& ip) const {
  auto found = host_names_.find(ip);
  return found == host_names_.end() ? ip : found->second;
}

const Latency& Network::latency_for(const std::string& from_ip, const std::string& to_ip) const {
  const Latency* chosen = &options_.latency;
  for (const LinkLatencyRule& rule : options_.links) {
    if (util::glob_match(rule.from, host_name(from_ip), false) &&
        util::glob_match(rule.to, host_name(to_ip), false)) {
      chosen = &rule.latency;
    }
  }
  return *chosen;
}

std::vector<std::string> Network::describe_links() const {
  std::vector<std::string> out;
  for (const auto& [key, state] : links_) {
    out.push_back(fmt::format("{}>{} x{}.{:02}", host_name(key.first), host_name(key.second),
                              state.factor_percent / 100, state.factor_percent % 100));
  }
  return out;
}

Network::Link& Network::link(const std::string& from_ip, const std::string& to_ip) {
  // std::map nodes never move: connections keep pointers to their links (direction_link).
  auto [entry, inserted] = links_.try_emplace({from_ip, to_ip});
  if (inserted) {
    entry->second.factor_percent = 100 + rng_.between(0, options_.link_spread_percent);
    entry->second.latency = &latency_for(from_ip, to_ip);
  }
  return entry->second;
}

Network::Link& Network::direction_link(Connection& connection, int to_side) {
  Direction& direction = connection.to[to_side];
  if (direction.link == nullptr) {
    direction.link = &link(connection.ip[1 - to_side], connection.ip[to_side]);
  }
  return *direction.link;
}

bool Network::blocked(const Link& state) const {
  return state.cut > 0 || state.clogged_until_ns > world_.now_ns();
}

bool Network::blocked(const std::string& from_ip, const std::string& to_ip) {
  if (from_ip == to_ip) return false;
  return blocked(link(from_ip, to_ip));
}

bool Network::link_up(const std::string& from_ip, const std::string& to_ip) const {
  auto found = links_.find({from_ip, to_ip});
  if (found == links_.end()) return true;
  return found->second.cut == 0 && found->second.clogged_until_ns <= world_.now_ns();
}

int64_t Network::link_delay_ns(const std::string& from_ip, const std::string& to_ip) {
  if (from_ip == to_ip) return options_.latency.sample(rng_) / 10;  // loopback
  return link_delay_ns(link(from_ip, to_ip));
}

int64_t Network::link_delay_ns(const Link& state) {
  return state.latency->sample(rng_) * state.factor_percent / 100;
}

Result<std::unique_ptr<Listener>> Network::listen(SimRuntime& runtime, const std::string& host,
                                                  uint16_t port) {
  const std::string& self = runtime.host().ip;
  const std::string ip = resolve(host, self);
  if (ip != self) return Status(Errc::invalid_argument, "cannot bind to " + host);
  if (port == 0) port = next_ephemeral_port_[ip]++ + stream_ephemeral_port_first;
  if (listeners_.count({ip, port})) {
    return Status(Errc::address_in_use, fmt::format("{}:{} is in use", ip, port));
  }
  auto listener = std::make_unique<SimListener>(runtime, *this, ip, port);
  listeners_[{ip, port}] = &listener->state();
  world_.digest().event("net.listen", world_.now_ns(), port);
  return std::unique_ptr<Listener>(std::move(listener));
}

void Network::forget_listener(const std::string& ip, uint16_t port) {
  listeners_.erase({ip, port});
}

Result<std::unique_ptr<Stream>> Network::connect(SimRuntime& runtime, const std::string& host,
                                                 uint16_t port) {
  const std::string from = runtime.host().ip;
  const std::string to = resolve(host, from);
  // The SYN travels; an unanswered one (a cut link either way) times out.
  runtime.wait_true(link_delay_ns(from, to));
  if (blocked(from, to) || blocked(to, from)) {
    runtime.wait_true(options_.connect_timeout_ns);
    return Status(Errc::timed_out, fmt::format("connect to {}:{} timed out", to, port));
  }
  return finish_connect(runtime, to, port);
}

Result<std::unique_ptr<Stream>> Network::finish_connect(SimRuntime& runtime, const std::string& ip,
                                                        uint16_t port) {
  const std::string& self = runtime.host().ip;
  auto found = listeners_.find({ip, port});
  if (found == listeners_.end()) {
    runtime.wait_true(link_delay_ns(ip, self));  // the RST comes back
    return Status(Errc::refused, fmt::format("connection to {}:{} refused", ip, port));
  }
  auto connection = std::make_shared<Connection>();
  connection->id = next_connection_id_++;
  connection->ip[0] = self;
  connection->ip[1] = ip;
  const int local_port = stream_ephemeral_port_first + 10000 + next_ephemeral_port_[self]++;
  connection->address[0] = fmt::format("{}:{}", self, local_port);
  connection->address[1] = fmt::format("{}:{}", ip, port);
  // Owned by the connecting process from the start: if it dies during the handshake, the
  // accepting side sees a reset instead of waiting forever.
  connection->owner[0] = &runtime;
  connections_[connection->id] = connection;
  ListenerState& listener = *found->second;
  listener.backlog.push_back(connection);
  listener.acceptors->notify_one();
  world_.digest().event("net.connect", world_.now_ns(), connection->id, port);
  runtime.wait_true(link_delay_ns(ip, self));  // the SYN-ACK
  if (connection->reset) return Status(Errc::reset, "connection reset while connecting");
  return std::unique_ptr<Stream>(std::make_unique<SimStream>(runtime, *this, connection, 0));
}

void Network::send(const std::shared_ptr<Connection>& connection, int from_side, std::string bytes,
                   bool fin) {
  const int to_side = 1 - from_side;
  Direction& direction = connection->to[to_side];
  direction.in_flight_bytes += bytes.size();
  direction.in_flight.push_back(Direction::Segment{std::move(bytes), fin});
  schedule_delivery(connection, to_side);
}

void Network::schedule_delivery(const std::shared_ptr<Connection>& connection, int to_side) {
  Direction& direction = connection->to[to_side];
  const bool loopback = connection->ip[0] == connection->ip[1];
  const int64_t delay = loopback ? link_delay_ns(connection->ip[0], connection->ip[1])
                                 : link_delay_ns(direction_link(*connection, to_side));
  const int64_t arrival = std::max(world_.now_ns() + delay, direction.last_arrival_ns);
  direction.last_arrival_ns = arrival;
  world_.at(arrival, "net.deliver", [this, connection, to_side] { arrive(*connection, to_side); });
}

void Network::arrive(Connection& connection, int to_side) {
  Direction& direction = connection.to[to_side];
  if (connection.reset) return;  // reset() dropped what was in flight
  RING_ASSERT(!direction.in_flight.empty());
  Direction::Segment segment = std::move(direction.in_flight.front());
  direction.in_flight.pop_front();
  const bool loopback = connection.ip[0] == connection.ip[1];
  const bool hold =
      !direction.held.empty() || (!loopback && blocked(direction_link(connection, to_side)));
  if (hold) {
    direction.held.push_back(std::move(segment));
    return;
  }
  direction.in_flight_bytes -= segment.bytes.size();
  world_.digest().fold(connection.id);
  world_.digest().fold_bytes(segment.bytes);
  if (direction.delivered.empty()) {
    direction.delivered = std::move(segment.bytes);  // the common case: nothing unread
  } else {
    direction.delivered += segment.bytes;
  }
  if (segment.fin) direction.fin = true;
  connection.wake(to_side);
}

void Network::release_held(const std::string& from_ip, const std::string& to_ip) {
  if (blocked(from_ip, to_ip)) return;
  for (const auto& connection : live()) {
    for (int to_side = 0; to_side < 2; ++to_side) {
      if (connection->ip[1 - to_side] != from_ip || connection->ip[to_side] != to_ip) continue;
      Direction& direction = connection->to[to_side];
      // Held bytes were sent before anything still in flight: they go first.
      const size_t count = direction.held.size();
      direction.in_flight.insert(direction.in_flight.begin(),
                                 std::make_move_iterator(direction.held.begin()),
                                 std::make_move_iterator(direction.held.end()));
      direction.held.clear();
      for (size_t i = 0; i < count; ++i) schedule_delivery(connection, to_side);
    }
  }
}

void Network::cut(const std::string& from_ip, const std::string& to_ip) {
  ++link(from_ip, to_ip).cut;
  world_.digest().event("net.cut", world_.now_ns());
  world_.digest().fold_bytes(from_ip + ">" + to_ip);
}

void Network::heal(const std::string& from_ip, const std::string& to_ip) {
  Link& state = link(from_ip, to_ip);
  if (state.cut == 0) return;
  if (--state.cut > 0) return;
  world_.digest().event("net.heal", world_.now_ns());
  world_.digest().fold_bytes(from_ip + ">" + to_ip);
  release_held(from_ip, to_ip);
}

void Network::heal_all() {
  std::vector<LinkKey> keys;
  for (const auto& [key, state] : links_) {
    if (state.cut > 0 || state.clogged_until_ns > world_.now_ns()) keys.push_back(key);
  }
  for (const auto& [from, to] : keys) {
    Link& state = link(from, to);
    state.cut = 0;
    state.clogged_until_ns = 0;
    release_held(from, to);
  }
}

void Network::clog(const std::string& from_ip, const std::string& to_ip, int64_t duration_ns) {
  Link& state = link(from_ip, to_ip);
  const int64_t until = world_.now_ns() + duration_ns;
  state.clogged_until_ns = std::max(state.clogged_until_ns, until);
  world_.at(until, "net.unclog", [this, from_ip, to_ip] { release_held(from_ip, to_ip); });
}

std::vector<std::shared_ptr<Connection>> Network::live() {
  std::vector<std::shared_ptr<Connection>> out;
  for (auto it = connections_.begin(); it != connections_.end();) {
    auto connection = it->second.lock();
    if (!connection || connection->reset) {
      it = connections_.erase(it);
      continue;
    }
    out.push_back(std::move(connection));
    ++it;
  }
  return out;
}

size_t Network::live_connections() { return live().size(); }

void Network::reset(Connection& connection) {
  if (connection.reset) return;
  connection.reset = true;
  for (auto& direction : connection.to) {
    direction.held.clear();
    direction.in_flight.clear();
  }
  world_.digest().event("net.reset", world_.now_ns(), connection.id);
  connection.wake_both();
}

bool Network::reset_nth(uint64_t index) {
  auto connections = live();
  if (connections.empty()) return false;
  reset(*connections[index % connections.size()]);
  return true;
}

void Network::process_crashed(SimRuntime& runtime) {
  datagrams_->process_crashed(runtime);
  for (auto it = listeners_.begin(); it != listeners_.end();) {
    ListenerState& listener = *it->second;
    if (listener.owner != &runtime) {
      ++it;
      continue;
    }
    listener.closed = true;
    for (auto& connection : listener.backlog) reset(*connection);
    listener.backlog.clear();
    listener.acceptors->notify_all();
    it = listeners_.erase(it);
  }
  for (const auto& connection : live()) {
    if (connection->owner[0] == &runtime || connection->owner[1] == &runtime) reset(*connection);
  }
}

}  // namespace ringcache::sim
