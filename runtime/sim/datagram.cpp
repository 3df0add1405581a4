#include "runtime/sim/datagram.h"

#include <fmt/format.h>

#include "core/constants.h"
#include "runtime/sim/faults.h"
#include "runtime/sim/network.h"
#include "runtime/sim/sim_runtime.h"
#include "runtime/sim/world.h"

namespace ringcache::sim {
namespace {

constexpr uint16_t datagram_ephemeral_port_first = 50000;

class SimDatagramSocket final : public DatagramSocket {
 public:
  SimDatagramSocket(SimRuntime& runtime, DatagramNetwork& network,
                    std::shared_ptr<DatagramEndpoint> endpoint)
      : runtime_(runtime), network_(network), endpoint_(std::move(endpoint)) {}
  ~SimDatagramSocket() override { close(); }

  Status send_to(const std::string& host, uint16_t port, std::string_view message) override {
    runtime_.gate();
    if (endpoint_->closed) return {Errc::closed, "send_to: socket closed"};
    return network_.send(*endpoint_, host, port, message);
  }

  Result<Datagram> receive(std::optional<Instant> deadline) override {
    runtime_.gate();
    for (;;) {
      if (endpoint_->closed) return Status(Errc::closed, "receive: socket closed");
      if (!endpoint_->inbox.empty()) break;
      if (!endpoint_->readers->wait_until(deadline) && endpoint_->inbox.empty() &&
          !endpoint_->closed) {
        return Status(Errc::timed_out, "receive: timed out");
      }
    }
    Datagram message = std::move(endpoint_->inbox.front());
    endpoint_->inbox.pop_front();
    return message;
  }

  void close() override { network_.close(*endpoint_); }
  uint16_t port() const override { return endpoint_->port; }

 private:
  SimRuntime& runtime_;
  DatagramNetwork& network_;
  std::shared_ptr<DatagramEndpoint> endpoint_;
};

}  // namespace

DatagramNetwork::DatagramNetwork(Network& network, World& world, FaultCounters& faults,
                                 uint64_t seed, DatagramOptions options)
    : network_(network), world_(world), faults_(faults), rng_(seed), options_(options) {
  if (options_.drop > 0) faults_.enable("net.dgram_drop");
  if (options_.duplicate > 0) faults_.enable("net.dgram_duplicate");
  if (options_.reorder > 0) faults_.enable("net.dgram_reorder");
}

Result<std::unique_ptr<DatagramSocket>> DatagramNetwork::open(SimRuntime& runtime,
                                                              const std::string& host,
                                                              uint16_t port) {
  const std::string& self = runtime.host().ip;
  const std::string ip = Network::resolve(host, self);
  if (ip != self) return Status(Errc::invalid_argument, "cannot bind to " + host);
  if (port == 0) port = next_ephemeral_port_[ip]++ + datagram_ephemeral_port_first;
  if (endpoints_.count({ip, port})) {
    return Status(Errc::address_in_use, fmt::format("{}:{} (udp) is in use", ip, port));
  }
  auto endpoint = std::make_shared<DatagramEndpoint>();
  endpoint->ip = ip;
  endpoint->port = port;
  endpoint->owner = &runtime;
  endpoint->readers = runtime.make_wait_queue();
  endpoints_[{ip, port}] = endpoint;
  world_.digest().event("dgram.open", world_.now_ns(), port);
  return std::unique_ptr<DatagramSocket>(
      std::make_unique<SimDatagramSocket>(runtime, *this, std::move(endpoint)));
}

Status DatagramNetwork::send(const DatagramEndpoint& from, const std::string& host, uint16_t port,
                             std::string_view message) {
  if (message.size() > constants::datagram_bytes_max) {
    return {Errc::invalid_argument, "send_to: message larger than a datagram"};
  }
  const std::string to_ip = Network::resolve(host, from.ip);
  world_.digest().event("dgram.send", world_.now_ns(), port, message.size());
  DatagramTraffic& sent = traffic_[from.ip];
  ++sent.messages_sent;
  sent.bytes_sent += message.size();
  // A cut or clogged link loses the message; so does an injected drop.
  if (!network_.link_up(from.ip, to_ip)) return Status::ok();
  if (options_.drop > 0 && rng_.chance(options_.drop)) {
    faults_.count("net.dgram_drop");
    return Status::ok();
  }
  const int copies = options_.duplicate > 0 && rng_.chance(options_.duplicate) ? 2 : 1;
  if (copies == 2) faults_.count("net.dgram_duplicate");
  for (int copy = 0; copy < copies; ++copy) {
    int64_t delay = network_.sample_delay_ns(from.ip, to_ip);
    if (options_.reorder > 0 && rng_.chance(options_.reorder)) {
      faults_.count("net.dgram_reorder");
      delay += rng_.between(1, options_.reorder_delay_ns);
    }
    deliver_after(delay, to_ip, port,
                  Datagram{fmt::format("{}:{}", from.ip, from.port), std::string(message)});
  }
  return Status::ok();
}

void DatagramNetwork::deliver_after(int64_t delay_ns, std::string to_ip, uint16_t to_port,
                                    Datagram message) {
  world_.after(delay_ns, "dgram.deliver",
               [this, to_ip = std::move(to_ip), to_port, message = std::move(message)]() mutable {
                 auto found = endpoints_.find({to_ip, to_port});
                 // Nobody bound there (yet, or any more), or the link went down on the way.
                 if (found == endpoints_.end()) return;
                 const std::string from_ip = message.from.substr(0, message.from.rfind(':'));
                 if (!network_.link_up(from_ip, to_ip)) return;
                 world_.digest().fold_bytes(message.bytes);
                 DatagramTraffic& received = traffic_[to_ip];
                 ++received.messages_received;
                 received.bytes_received += message.bytes.size();
                 DatagramEndpoint& endpoint = *found->second;
                 endpoint.inbox.push_back(std::move(message));
                 endpoint.readers->notify_one();
               });
}

void DatagramNetwork::close(DatagramEndpoint& endpoint) {
  if (endpoint.closed) return;
  endpoint.closed = true;
  endpoint.inbox.clear();
  endpoint.readers->notify_all();
  auto found = endpoints_.find({endpoint.ip, endpoint.port});
  if (found != endpoints_.end() && found->second.get() == &endpoint) endpoints_.erase(found);
}

void DatagramNetwork::process_crashed(SimRuntime& runtime) {
  for (auto it = endpoints_.begin(); it != endpoints_.end();) {
    std::shared_ptr<DatagramEndpoint> endpoint = it->second;
    ++it;
    if (endpoint->owner == &runtime) close(*endpoint);
  }
}

}  // namespace ringcache::sim
