#include "tests/support/bus_harness.h"

#include <algorithm>

#include "core/constants.h"

namespace ringcache::testing {

using cluster::BusAddress;
using cluster::Membership;
using cluster::MembershipOptions;
using cluster::NodeAddress;

BusHarness::BusHarness(BusHarnessOptions options) : options_(options), rng_(options.seed) {
  cluster::ClusterConfig formed;
  for (size_t i = 0; i < options_.nodes; ++i) {
    SimNode node;
    node.rng.reseed(rng_.fork_seed());
    node.id = cluster::random_node_id(node.rng);
    node.clock_offset_ms =
        options_.clock_offset_max_ms == 0 ? 0 : rng_.between(0, options_.clock_offset_max_ms);
    node.clock_rate_ppm = rng_.between(-options_.clock_rate_ppm_max, options_.clock_rate_ppm_max);
    nodes_.push_back(std::move(node));
    formed.members.push_back(make_address(i));
  }
  std::sort(formed.members.begin(), formed.members.end(),
            [](const auto& a, const auto& b) { return a.node_id < b.node_id; });
  formed.cluster_id = formed.members.front().node_id;
  formed.epoch = 1;
  for (size_t i = 0; i < options_.nodes; ++i) {
    MembershipOptions membership;
    membership.self = make_address(i);
    membership.node_timeout_ms = options_.node_timeout_ms;
    if (options_.formed) {
      membership.config = formed;
    } else if (i > 0) {
      membership.seeds.push_back(nodes_[0].address);
    }
    start_node(i, std::move(membership));
  }
  if (!options_.formed) (void)node(0).bootstrap();
}

NodeAddress BusHarness::make_address(size_t index) {
  SimNode& node = nodes_[index];
  node.address = BusAddress{"10.0.0.1", static_cast<uint16_t>(20000 + index)};
  by_port_[node.address.port] = index;
  const size_t first_replica = options_.nodes - options_.replicas;
  const bool replica = index >= first_replica && index < options_.nodes;
  return NodeAddress{node.id,
                     replica ? nodes_[index - first_replica].id : node.id,
                     replica ? cluster::NodeRole::replica : cluster::NodeRole::primary,
                     node.address.ip,
                     static_cast<uint16_t>(10000 + index),
                     node.address.port};
}

void BusHarness::start_node(size_t index, MembershipOptions membership_options) {
  SimNode& node = nodes_[index];
  node.membership = std::make_unique<Membership>(std::move(membership_options), local_ms(index));
  // Ticks start at a random phase so nodes do not act in lockstep.
  const auto phase = static_cast<int64_t>(rng_.below(constants::cluster_tick_interval_ms));
  push(Event{now_ms_ + phase, 0, index, true, {}, {}});
  record_config(index);
}

size_t BusHarness::add_node(const std::vector<size_t>& seeds) {
  const size_t index = nodes_.size();
  SimNode node;
  node.rng.reseed(rng_.fork_seed());
  node.id = cluster::random_node_id(node.rng);
  nodes_.push_back(std::move(node));
  MembershipOptions membership;
  membership.self = make_address(index);
  membership.node_timeout_ms = options_.node_timeout_ms;
  for (size_t seed : seeds) membership.seeds.push_back(nodes_[seed].address);
  start_node(index, std::move(membership));
  return index;
}

int64_t BusHarness::local_ms(size_t index) const {
  const SimNode& node = nodes_[index];
  return node.clock_offset_ms + now_ms_ + now_ms_ * node.clock_rate_ppm / 1'000'000;
}

void BusHarness::push(Event event) {
  event.seq = next_seq_++;
  events_.push(std::move(event));
}

void BusHarness::run_until(int64_t until_ms) {
  while (step(until_ms)) {
  }
  now_ms_ = std::max(now_ms_, until_ms);
}

bool BusHarness::step(int64_t deadline_ms) {
  if (events_.empty() || events_.top().at_ms > deadline_ms) return false;
  Event event = events_.top();
  events_.pop();
  now_ms_ = std::max(now_ms_, event.at_ms);
  SimNode& node = nodes_[event.node];
  if (event.is_tick) {
    push(Event{now_ms_ + constants::cluster_tick_interval_ms, 0, event.node, true, {}, {}});
    if (node.alive && !node.paused) {
      dispatch(event.node, node.membership->tick(local_ms(event.node), node.rng));
    }
  } else if (node.paused) {
    node.held.emplace_back(event.from, std::move(event.bytes));
  } else if (node.alive) {
    dispatch(event.node,
             node.membership->receive(event.from, event.bytes, local_ms(event.node), node.rng));
  }
  record_config(event.node);
  return true;
}

void BusHarness::resume(size_t index) {
  SimNode& node = nodes_[index];
  node.paused = false;
  for (auto& [from, bytes] : node.held) push(Event{now_ms_, 0, index, false, from, bytes});
  node.held.clear();
}

void BusHarness::dispatch(size_t from, std::vector<cluster::Outgoing> outgoing) {
  SimNode& sender = nodes_[from];
  for (cluster::Outgoing& out : outgoing) {
    sender.bytes_sent += out.bytes.size();
    auto it = by_port_.find(out.to.port);
    if (it == by_port_.end()) continue;
    const size_t to = it->second;
    if (nodes_[to].group != sender.group || one_way_cuts_.contains({from, to})) continue;
    if (rng_.chance(options_.loss)) continue;
    const int copies = rng_.chance(options_.duplicate) ? 2 : 1;
    for (int copy = 0; copy < copies; ++copy) {
      const int64_t latency = rng_.between(options_.latency_min_ms, options_.latency_max_ms);
      push(Event{now_ms_ + latency, 0, to, false, sender.address, out.bytes});
    }
  }
}

void BusHarness::record_config(size_t index) {
  const Membership& membership = *nodes_[index].membership;
  const uint64_t epoch = membership.config().epoch;
  if (epoch == 0) return;
  auto [it, inserted] = digest_by_epoch_.emplace(epoch, membership.config_digest());
  if (!inserted && it->second != membership.config_digest()) ++config_conflicts_;
}

bool BusHarness::all_see(size_t subject, cluster::NodeStatus status) const {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (i == subject || !nodes_[i].alive) continue;
    const auto view = nodes_[i].membership->node(nodes_[subject].id);
    if (!view || view->status != status) return false;
  }
  return true;
}

bool BusHarness::converged(size_t reference) const {
  const Membership& ref = *nodes_[reference].membership;
  for (const SimNode& node : nodes_) {
    if (!node.alive) continue;
    if (node.membership->self_state() != cluster::SelfState::active) return false;
    if (node.membership->config().epoch != ref.config().epoch ||
        node.membership->config_digest() != ref.config_digest()) {
      return false;
    }
  }
  return true;
}

}  // namespace ringcache::testing
