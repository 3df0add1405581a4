#pragma once
// A tiny deterministic message bus on virtual time for Membership engines (core/cluster): N
// engines exchange datagrams with random latency, loss and duplication, partitions, and a clock
// offset and rate per node; every node ticks every cluster_tick_interval_ms of its own clock.
// Every random choice comes from one seed. It records every configuration any node holds, so a
// test can check that no two different configurations ever share an epoch.

#include <cstdint>
#include <map>
#include <memory>
#include <queue>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/cluster/membership.h"
#include "core/util/rng.h"

namespace ringcache::testing {

struct BusHarnessOptions {
  size_t nodes = 3;
  uint64_t seed = 1;
  int64_t node_timeout_ms = 5000;
  int64_t latency_min_ms = 1;
  int64_t latency_max_ms = 5;
  double loss = 0;
  double duplicate = 0;
  int64_t clock_offset_max_ms = 0;  // each node's clock starts this far apart, at most
  int64_t clock_rate_ppm_max = 0;   // and runs this much fast or slow, at most
  // true: every node starts with the same configuration at epoch 1 holding all of them (as if
  // restored from their config files); false: node 0 bootstraps and the others meet it.
  bool formed = true;
  // The last `replicas` nodes are replicas of nodes 0, 1, ... (one each) in the formed
  // configuration; the rest are primaries.
  size_t replicas = 0;
};

class BusHarness {
 public:
  explicit BusHarness(BusHarnessOptions options);

  // Runs the bus until virtual time `until_ms` (inclusive); `after_event` runs after each event.
  void run_until(int64_t until_ms);
  void run_for(int64_t duration_ms) { run_until(now_ms_ + duration_ms); }
  // Runs until `done()` holds (checked after every event) or `deadline_ms`; true if it held.
  template <typename Done>
  bool run_until_true(Done done, int64_t deadline_ms) {
    while (now_ms_ < deadline_ms) {
      if (done()) return true;
      if (!step(deadline_ms)) break;
    }
    return done();
  }

  int64_t now_ms() const { return now_ms_; }
  size_t size() const { return nodes_.size(); }
  cluster::Membership& node(size_t index) { return *nodes_[index].membership; }
  const cluster::NodeId& id(size_t index) const { return nodes_[index].id; }
  int64_t local_ms(size_t index) const;
  bool alive(size_t index) const { return nodes_[index].alive; }

  // Adds a node (not yet started) and returns its index; `seeds` are indexes it meets.
  size_t add_node(const std::vector<size_t>& seeds);
  void kill(size_t index) { nodes_[index].alive = false; }
  // A paused node runs no tick and receives nothing; what arrives meanwhile waits, and is
  // delivered at once (in arrival order) when it resumes, as a process stopped and continued.
  void pause(size_t index) { nodes_[index].paused = true; }
  void resume(size_t index);
  // Nodes in different groups cannot exchange datagrams (all start in group 0).
  void set_group(size_t index, int group) { nodes_[index].group = group; }
  // Datagrams from `from` to `to` are dropped (one way: the other direction still works).
  void cut_one_way(size_t from, size_t to) { one_way_cuts_.insert({from, to}); }
  void heal() {
    for (auto& node : nodes_) node.group = 0;
    one_way_cuts_.clear();
  }
  // Calls Membership::rejoin on a node declared failed (as the wiring would, after dropping data).
  void rejoin(size_t index) { node(index).rejoin(local_ms(index)); }

  // How many times two nodes held different configurations with one epoch (must stay 0).
  size_t config_conflicts() const { return config_conflicts_; }
  uint64_t bytes_sent(size_t index) const { return nodes_[index].bytes_sent; }
  // True when every live node's table has `subject` with `status` (a live subject excluded).
  bool all_see(size_t subject, cluster::NodeStatus status) const;
  // True when every live node is active and holds the same configuration as `reference`.
  bool converged(size_t reference) const;

  bool step(int64_t deadline_ms);

 private:
  struct SimNode {
    cluster::NodeId id;
    cluster::BusAddress address;
    std::unique_ptr<cluster::Membership> membership;
    Rng rng{0};
    bool alive = true;
    bool paused = false;
    std::vector<std::pair<cluster::BusAddress, std::string>> held;  // arrived while paused
    int group = 0;
    int64_t clock_offset_ms = 0;
    int64_t clock_rate_ppm = 0;
    uint64_t bytes_sent = 0;
  };
  struct Event {
    int64_t at_ms = 0;
    uint64_t seq = 0;
    size_t node = 0;
    bool is_tick = false;
    cluster::BusAddress from;
    std::string bytes;
    bool operator>(const Event& other) const {
      return at_ms != other.at_ms ? at_ms > other.at_ms : seq > other.seq;
    }
  };

  cluster::NodeAddress make_address(size_t index);
  void start_node(size_t index, cluster::MembershipOptions membership_options);
  void dispatch(size_t from, std::vector<cluster::Outgoing> outgoing);
  void record_config(size_t index);
  void push(Event event);

  BusHarnessOptions options_;
  Rng rng_;
  int64_t now_ms_ = 0;
  uint64_t next_seq_ = 0;
  std::vector<SimNode> nodes_;
  std::map<uint16_t, size_t> by_port_;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
  std::set<std::pair<size_t, size_t>> one_way_cuts_;
  std::map<uint64_t, uint64_t> digest_by_epoch_;
  size_t config_conflicts_ = 0;
};

}  // namespace ringcache::testing
