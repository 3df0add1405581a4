#include "runtime/sim/cluster/cluster_monitor.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "core/constants.h"
#include "runtime/sim/cluster/cluster.h"
#include "runtime/sim/host.h"
#include "runtime/sim/world.h"

namespace ringcache::sim {
namespace {
constexpr size_t overlap_problems_max = 10;

}  // namespace

// What a node's view change tells about handoffs: `possible` unless the node went down or dropped
// its data (then every change is a loss); its maps before and after; the nodes leaving
// gracefully that it does not believe failed (a leaver declared failed mid-handoff loses what it
// had not handed off).
struct ClusterMonitor::Handoff {
  bool possible = false;
  std::string node_id;
  SlotMapCopy previous;
  SlotMapCopy next;
  std::vector<std::string> leaving;
};

struct ClusterMonitor::NodeState {
  bool present = false;  // running, started, with a cluster view
  uint64_t incarnation = 0;
  std::string id;
  uint64_t epoch = 0;
  uint64_t generation = 0;
  bool member = false;
  bool claiming = false;  // accepts writes (a serving primary), by its own view
  std::string shard_id;   // its shard in its view (empty: not a member)
  bool was_replica = false;  // a replica member since it last accepted writes
  size_t writer_index = SIZE_MAX;  // its open interval in record_.writers
  size_t member_index = SIZE_MAX;  // its open interval in record_.shard_members
  // Paused while its own view said it serves: on resuming it answers from that view until it
  // has read what arrived meanwhile, possibly before the next sample.
  bool paused_serving = false;
  uint64_t serving_changes = 0;  // the view's count at the previous sample
  std::vector<std::string> shards;  // its map
  std::vector<uint16_t> owners;
  std::vector<uint8_t> owned;  // by slot, per its own map
  std::vector<uint8_t> imported;  // by slot (empty: none): keys it receives, not claims
  SlotMapCopy move_targets;        // where its slots move (SimNode::cluster_move_targets)
};

// A node whose failure or arrival every other node must learn.
struct ClusterMonitor::Watch {
  enum class Kind { failure, join } kind;
  int node;
  std::string id;
  int64_t since_ns;
  std::vector<uint8_t> marked;  // by node
  bool done = false;
};

ClusterMonitor::ClusterMonitor(World& world, Cluster& cluster, const History& history,
                               ClusterMonitorOptions options)
    : world_(world),
      cluster_(cluster),
      history_(history),
      options_(options),
      slot_count_(constants::cluster_slots),
      nodes_(static_cast<size_t>(cluster.size())),
      claimants_(slot_count_, 0),
      overlap_since_(slot_count_, -1),
      overlap_reported_(slot_count_, 0) {
  record_.enabled = true;
  record_.allowed_overlap_ns = options_.allowed_overlap_ns;
  record_.node_timeout_ns = options_.node_timeout_ns;
  for (NodeState& state : nodes_) state.owned.assign(slot_count_, 0);
}

ClusterMonitor::~ClusterMonitor() = default;

void ClusterMonitor::start() {
  last_sample_ns_ = world_.now_ns();
  schedule();
}

void ClusterMonitor::schedule() {
  world_.after(options_.sample_ns, "check.cluster", [this] {
    if (finished_) return;
    sample();
    schedule();
  });
}

void ClusterMonitor::sample() {
  const int64_t now = world_.now_ns();
  bool changed = false;
  for (int i = 0; i < cluster_.size(); ++i) changed |= update(i, now, last_sample_ns_);
  if (changed) refresh_convergence();
  check_overlaps(now);
  if (!formed_reported_ && settled()) {
    formed_reported_ = true;
    metrics_.push_back(fmt::format(
        "cluster formed (one map on every node, every slot served) at {}", format_time(now)));
  }
  if (now >= next_watch_ns_) {
    next_watch_ns_ = now + options_.watch_every_ns;
    progress_watches(now);
    watch_unserved_shards(now);
    watch_declared_failures(now);
    if (replicas_watched_) replicas_converged_ = check_replicas();
  }
  last_sample_ns_ = now;
}

bool ClusterMonitor::update(int index, int64_t now_ns, int64_t prev_ns) {
  NodeState& state = nodes_[static_cast<size_t>(index)];
  SimNode* node = cluster_.node(index);
  std::optional<ClusterView> view = node ? node->cluster_view() : std::nullopt;
  const uint64_t incarnation = cluster_.host(index).incarnations;
  if (!view && !state.present) {
    state.incarnation = incarnation;
    return false;
  }
  const bool paused = cluster_.paused(index);
  const bool claiming = view && view->member && view->accepts_writes && !paused;
  if (state.present && view && incarnation == state.incarnation &&
      view->generation != state.generation) {
    record_.data_resets.emplace_back(index, now_ns);
  }
  track_shards(index, state, view ? &*view : nullptr, claiming, now_ns, prev_ns);
  // Its serving answer changed twice or more since the previous sample (by its own count):
  // it may have served its slots, and answered for them, in between though neither sample saw
  // it (cluster-partitions seed 974: contact regained, a write served, then a vote held it, all
  // within 0.2 ms). The slots are those of the map the previous sample saw; a new map seen
  // without serving is a possible claim below (may_have_served).
  const bool served_unseen = view && state.present && incarnation == state.incarnation &&
                             view->serving_changes >= state.serving_changes + 2;
  state.serving_changes = view ? view->serving_changes : 0;
  if ((state.paused_serving && !paused) || served_unseen) {
    for (uint32_t slot = 0; slot < slot_count_; ++slot) {
      if (state.owned[slot] == 0) continue;
      record_.possible_claims[{index, static_cast<uint16_t>(slot)}].push_back({prev_ns, now_ns});
    }
  }
  state.paused_serving = paused && view && view->member && view->serving;
  const bool data_reset = state.present && (incarnation != state.incarnation ||
                                            (view && view->generation != state.generation));
  const bool map_changed = data_reset || !view || !state.present || view->epoch != state.epoch ||
                           view->my_id != state.id || view->member != state.member ||
                           (view->member ? view->shard_id : std::string()) != state.shard_id;
  if (!map_changed && claiming == state.claiming) return false;
  NodeState before_flags;
  before_flags.present = state.present;
  before_flags.id = state.id;
  SlotMapCopy previous;
  std::swap(previous.shards, state.shards);
  std::swap(previous.owners, state.owners);
  std::vector<uint8_t> owned(slot_count_, 0);
  if (view && view->member) {
    node->cluster_slot_owners(state.shards, state.owners);
    // Slots are the shard's, and its primary's to serve: a replica owns none.
    auto mine = std::find(state.shards.begin(), state.shards.end(), view->shard_id);
    if (view->role == NodeRole::primary && mine != state.shards.end() &&
        state.owners.size() == slot_count_) {
      const auto my_index = static_cast<uint16_t>(mine - state.shards.begin());
      for (uint32_t slot = 0; slot < slot_count_; ++slot) {
        owned[slot] = state.owners[slot] == my_index;
      }
    }
  } else {
    state.shards.clear();
    state.owners.clear();
  }
  Handoff handoff{view.has_value() && !data_reset, view ? view->shard_id : state.shard_id, {}, {},
                  {}};
  if (handoff.possible) {
    handoff.leaving = leaving_ids(node->cluster_failed_ids());
    handoff.next.shards = state.shards;
    handoff.next.owners = state.owners;
    if (view->member) handoffs_.remember(view->epoch, handoff.next);
    const SlotMapCopy* earlier = view->member ? handoffs_.before(view->epoch) : nullptr;
    handoff.previous = previous.empty() && earlier ? *earlier : std::move(previous);
  }
  // A node that went down or dropped its data lost the keys of the slots it imported too.
  if (!handoff.possible) {
    for (uint32_t slot = 0; slot < state.imported.size(); ++slot) {
      if (state.imported[slot] != 0 && state.owned[slot] == 0) {
        record_.changes.push_back({static_cast<uint16_t>(slot), index, prev_ns, now_ns, false});
      }
    }
  }
  state.imported.clear();
  if (view && view->member) node->cluster_imported_slots(state.imported);
  record_undone_moves(index, state, handoff.possible ? handoff.previous : previous,
                      handoff.possible && view->member ? node : nullptr, now_ns, prev_ns);
  // A new map seen while not serving: the node may have served it since the previous sample.
  const bool may_have_served = view && view->member && !paused && !claiming &&
                               (!state.present || view->epoch != state.epoch);
  apply_slots(index, state, owned, claiming, handoff, may_have_served, now_ns, prev_ns);
  state.present = view.has_value();
  state.incarnation = incarnation;
  state.shard_id = view && view->member ? view->shard_id : std::string();
  if (view) {
    state.id = view->my_id;
    state.epoch = view->epoch;
    state.generation = view->generation;
    state.member = view->member;
  } else {
    state.epoch = 0;
    state.member = false;
  }
  start_watches(index, before_flags, now_ns);
  return true;
}

// A slot moving in the node's previous view whose move ended without reaching its target: the
// move was undone (the slot kept its serving owner) or sent to another target, its target
// removed before the switch, and what had reached that target is lost. Reads the node's new
// move targets (none when `node` is null).
void ClusterMonitor::record_undone_moves(int index, NodeState& state, const SlotMapCopy& previous,
                                         SimNode* node, int64_t now_ns, int64_t prev_ns) {
  SlotMapCopy targets;
  if (node != nullptr) node->cluster_move_targets(targets);
  const SlotMapCopy next{state.shards, state.owners};
  if (!previous.empty() && !next.empty()) {
    for (uint32_t slot = 0; slot < state.move_targets.owners.size(); ++slot) {
      const auto s = static_cast<uint16_t>(slot);
      const std::string* was_to = state.move_targets.owner(s);
      if (was_to == nullptr) continue;
      const std::string* now_to = targets.owner(s);
      if (now_to != nullptr && *now_to == *was_to) continue;  // still on its way there
      const std::string* before = previous.owner(s);
      const std::string* after = next.owner(s);
      const bool undone = now_to == nullptr && before != nullptr && after != nullptr &&
                          *before == *after;
      if (undone || now_to != nullptr) {
        record_.changes.push_back({s, index, prev_ns, now_ns, false});
      }
    }
  }
  state.move_targets = std::move(targets);
}

void ClusterMonitor::apply_slots(int index, NodeState& state, const std::vector<uint8_t>& owned,
                                 bool claiming, const Handoff& handoff, bool may_have_served,
                                 int64_t now_ns, int64_t prev_ns) {
  for (uint32_t slot = 0; slot < slot_count_; ++slot) {
    const bool had = state.owned[slot] != 0;
    const bool has = owned[slot] != 0;
    if (has && may_have_served) {
      record_.possible_claims[{index, static_cast<uint16_t>(slot)}].push_back({prev_ns, now_ns});
    }
    if (had != has || (!handoff.possible && (had || has))) {
      const auto s = static_cast<uint16_t>(slot);
      const bool planned = handoff.possible && had != has &&
                           HandoffClassifier::planned(s, has, handoff.node_id, handoff.previous,
                                                      handoff.next, handoff.leaving);
      record_.changes.push_back({s, index, prev_ns, now_ns, planned});
    }
    const bool was_claimed = state.claiming && had;
    const bool is_claimed = claiming && has;
    if (was_claimed != is_claimed) {
      claim(index, static_cast<uint16_t>(slot), is_claimed, now_ns, prev_ns);
    }
  }
  state.owned = owned;
  state.claiming = claiming;
}

void ClusterMonitor::claim(int index, uint16_t slot, bool on, int64_t now_ns, int64_t prev_ns) {
  std::vector<SlotInterval>& intervals = record_.claims[{index, slot}];
  if (on) {
    intervals.push_back({prev_ns, INT64_MAX});
    if (claimants_[slot]++ == 0) ++claimed_slots_;
    if (claimants_[slot] == 2) {
      overlap_since_[slot] = now_ns;
      ++open_overlaps_;
    }
    return;
  }
  intervals.back().to_ns = now_ns;
  if (--claimants_[slot] == 0) --claimed_slots_;
  if (claimants_[slot] == 1) {
    overlap_since_[slot] = -1;
    --open_overlaps_;
    overlap_reported_[slot] = 0;
  }
}

// Two claimants surely overlapped from the sample that saw the second to the one before the
// sample that saw one go: past the allowed window, that is a problem.
void ClusterMonitor::check_overlaps(int64_t now_ns) {
  if (open_overlaps_ == 0 || record_.overlap_problems.size() >= overlap_problems_max) return;
  for (uint32_t slot = 0; slot < slot_count_; ++slot) {
    const int64_t since = overlap_since_[slot];
    if (since < 0 || overlap_reported_[slot] || now_ns - since <= options_.allowed_overlap_ns) {
      continue;
    }
    overlap_reported_[slot] = 1;
    std::string who;
    for (size_t i = 0; i < nodes_.size(); ++i) {
      if (nodes_[i].claiming && nodes_[i].owned[slot]) who += fmt::format(" n{}", i);
    }
    record_.overlap_problems.push_back(
        fmt::format("slot {} claimed by{} (owned and serving, each by its own view) since {}, "
                    "longer than the allowed {}",
                    slot, who, format_time(since), format_time(options_.allowed_overlap_ns)));
    if (record_.overlap_problems.size() >= overlap_problems_max) return;
  }
}

std::vector<std::string> ClusterMonitor::leaving_ids(const std::vector<std::string>& failed) const {
  std::vector<std::string> ids;
  for (int i = 0; i < cluster_.size(); ++i) {
    const std::string& id = nodes_[static_cast<size_t>(i)].id;
    if (id.empty() || contains_id(failed, id)) continue;
    if (cluster_.leaving(i) || cluster_.departed(i)) ids.push_back(id);
  }
  return ids;
}

// Opens and closes the node's writer and shard-member intervals, and records a promotion when a
// node that was a replica member starts accepting writes.
void ClusterMonitor::track_shards(int index, NodeState& state, const ClusterView* view, bool writer,
                                  int64_t now_ns, int64_t prev_ns) {
  const bool member = view != nullptr && view->member;
  const std::string shard = member ? view->shard_id : std::string();
  if (state.member_index != SIZE_MAX &&
      record_.shard_members[state.member_index].shard != shard) {
    record_.shard_members[state.member_index].to_ns = now_ns;
    state.member_index = SIZE_MAX;
  }
  if (member && state.member_index == SIZE_MAX) {
    state.member_index = record_.shard_members.size();
    record_.shard_members.push_back({shard, index, prev_ns, INT64_MAX});
  }
  if (member && view->role == NodeRole::replica) state.was_replica = true;
  // Out of the configuration its replica days are over: a shard it founds later, even under the
  // name of the one it replicated (a node names its shard after itself), is no promotion.
  if (!member) state.was_replica = false;
  if (state.writer_index != SIZE_MAX &&
      (!writer || record_.writers[state.writer_index].shard != shard)) {
    close_writer(index, state, now_ns);
  }
  if (!writer || state.writer_index != SIZE_MAX) return;
  state.writer_index = record_.writers.size();
  record_.writers.push_back({shard, index, prev_ns, INT64_MAX});
  auto unserved = unserved_.find(shard);
  if (state.was_replica && unserved != unserved_.end()) {
    record_.promotions.push_back(
        {shard, index, unserved->second.since_ns, unserved->second.declared_ns, now_ns});
  }
  state.was_replica = false;
  if (unserved != unserved_.end()) unserved_.erase(unserved);
}

void ClusterMonitor::close_writer(int index, NodeState& state, int64_t now_ns) {
  ShardInterval& interval = record_.writers[state.writer_index];
  interval.to_ns = now_ns;
  state.writer_index = SIZE_MAX;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (static_cast<int>(i) != index && nodes_[i].writer_index != SIZE_MAX &&
        record_.writers[nodes_[i].writer_index].shard == interval.shard) {
      return;  // the shard still has a writer
    }
  }
  unserved_[interval.shard] = Unserved{now_ns, state.id, -1};
}

// When some live node first holds an unserved shard's last primary failed.
void ClusterMonitor::watch_unserved_shards(int64_t now_ns) {
  for (auto& [shard, unserved] : unserved_) {
    if (unserved.declared_ns >= 0 || unserved.last_primary.empty()) continue;
    for (int i = 0; i < cluster_.size(); ++i) {
      SimNode* node = cluster_.node(i);
      if (node != nullptr && contains_id(node->cluster_failed_ids(), unserved.last_primary)) {
        unserved.declared_ns = now_ns;
        break;
      }
    }
  }
}

// A node some live node newly holds failed: the cluster treats it as lost from then on (it is
// removed, and drops its keys when it comes back).
void ClusterMonitor::watch_declared_failures(int64_t now_ns) {
  std::vector<std::vector<std::string>> failed(nodes_.size());
  for (int i = 0; i < cluster_.size(); ++i) {
    if (SimNode* node = cluster_.node(i)) failed[static_cast<size_t>(i)] = node->cluster_failed_ids();
  }
  held_failed_.resize(nodes_.size(), 0);
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const std::string& id = nodes_[i].id;
    bool held = false;
    for (size_t j = 0; j < nodes_.size() && !held && !id.empty(); ++j) {
      held = j != i && contains_id(failed[j], id);
    }
    if (held && held_failed_[i] == 0) record_.declared_failed.emplace_back(static_cast<int>(i), now_ns);
    held_failed_[i] = held;
  }
}

// Every up replica member has its shard's accepting primary's digest.
bool ClusterMonitor::check_replicas() {
  std::map<std::string, uint64_t> primaries;
  for (int i = 0; i < cluster_.size(); ++i) {
    const NodeState& state = nodes_[static_cast<size_t>(i)];
    SimNode* node = cluster_.node(i);
    if (node == nullptr || state.writer_index == SIZE_MAX) continue;
    if (auto digest = node->keyspace_digest()) primaries[state.shard_id] = digest->first;
  }
  for (int i = 0; i < cluster_.size(); ++i) {
    SimNode* node = cluster_.node(i);
    if (node == nullptr || cluster_.paused(i)) continue;
    const std::optional<ClusterView> view = node->cluster_view();
    if (!view || !view->member || view->role != NodeRole::replica) continue;
    auto primary = primaries.find(view->shard_id);
    auto digest = node->keyspace_digest();
    if (primary == primaries.end() || !digest || digest->first != primary->second) return false;
  }
  return true;
}

void ClusterMonitor::record_final_nodes() {
  record_.final_nodes.assign(nodes_.size(), FinalNode{});
  for (int i = 0; i < cluster_.size(); ++i) {
    FinalNode& out = record_.final_nodes[static_cast<size_t>(i)];
    SimNode* node = cluster_.node(i);
    const std::optional<ClusterView> view = node ? node->cluster_view() : std::nullopt;
    if (!view) continue;
    out.up = true;
    out.member = view->member;
    out.shard = view->shard_id;
    out.primary = view->role == NodeRole::primary;
    out.accepts_writes = view->accepts_writes && !cluster_.paused(i);
    out.repl_offset = view->repl_offset;
    if (auto digest = node->keyspace_digest()) std::tie(out.digest, out.keys) = *digest;
  }
}

void ClusterMonitor::refresh_convergence() {
  converged_ = false;
  const NodeState* first = nullptr;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (cluster_.departed(static_cast<int>(i))) continue;  // left for good: not expected back
    const NodeState& state = nodes_[i];
    if (!state.present || !state.member) {
      record_.convergence_problem =
          fmt::format("n{} {}", i, state.present ? "is not a member" : "is down or has no view");
      return;
    }
    if (first == nullptr) {
      first = &state;
      continue;
    }
    if (state.epoch != first->epoch || state.shards != first->shards ||
        state.owners != first->owners) {
      record_.convergence_problem =
          fmt::format("n{} has epoch {} and {} shard(s), the first member epoch {} and {}", i,
                      state.epoch, state.shards.size(), first->epoch, first->shards.size());
      return;
    }
  }
  converged_ = first != nullptr;
  record_.convergence_problem.clear();
}

int64_t ClusterMonitor::last_event_ns(int node, NodeEvent::Kind kind, int64_t fallback) const {
  for (auto it = history_.node_events.rbegin(); it != history_.node_events.rend(); ++it) {
    if (it->node == node && it->kind == kind) return it->at_ns;
  }
  return fallback;
}

void ClusterMonitor::start_watches(int index, const NodeState& before, int64_t now_ns) {
  const NodeState& state = nodes_[static_cast<size_t>(index)];
  const size_t count = nodes_.size();
  if (before.present && !state.present && !before.id.empty() && !cluster_.departed(index)) {
    const int64_t crashed = last_event_ns(index, NodeEvent::Kind::crash, now_ns);
    watches_.push_back(
        {Watch::Kind::failure, index, before.id, crashed, std::vector<uint8_t>(count, 0)});
  }
  if (state.present && (!before.present || before.id != state.id) && cluster_.joins_late(index)) {
    const int64_t booted = last_event_ns(index, NodeEvent::Kind::restart, now_ns);
    const bool first_boot = before.id.empty() || before.id != state.id;
    if (first_boot) {
      watches_.push_back(
          {Watch::Kind::join, index, state.id, booted, std::vector<uint8_t>(count, 0)});
    }
  }
}

void ClusterMonitor::progress_watches(int64_t now_ns) {
  for (Watch& watch : watches_) {
    if (watch.done) continue;
    const NodeState& subject = nodes_[static_cast<size_t>(watch.node)];
    if (watch.kind == Watch::Kind::failure && subject.present) {
      watch.done = true;
      metrics_.push_back(
          fmt::format("failure of n{} (crashed at {}): back before every live node "
                      "marked it failed",
                      watch.node, format_time(watch.since_ns)));
      continue;
    }
    bool all = true;
    int live = 0;
    for (int i = 0; i < cluster_.size(); ++i) {
      if (i == watch.node || !nodes_[static_cast<size_t>(i)].present) continue;
      ++live;
      if (watch.marked[static_cast<size_t>(i)]) continue;
      SimNode* node = cluster_.node(i);
      bool marked = false;
      if (watch.kind == Watch::Kind::failure) {
        marked = contains_id(node->cluster_failed_ids(), watch.id) ||
                 !contains_id(node->cluster_known_ids(), watch.id);
      } else {
        marked = contains_id(node->cluster_known_ids(), watch.id);
      }
      watch.marked[static_cast<size_t>(i)] = marked;
      all = all && marked;
    }
    if (!all) continue;
    watch.done = true;
    metrics_.push_back(fmt::format("{} of n{} (at {}): {} by all {} live node(s) after {}",
                                   watch.kind == Watch::Kind::failure ? "failure" : "join",
                                   watch.node, format_time(watch.since_ns),
                                   watch.kind == Watch::Kind::failure ? "marked failed" : "known",
                                   live, format_time(now_ns - watch.since_ns)));
  }
}

const ClusterRecord& ClusterMonitor::finish() {
  if (finished_) return record_;
  finished_ = true;
  const int64_t now = world_.now_ns();
  // Coverage as of the last sample, the one the liveness phase ended on (settled()): a node may
  // pause serving for a moment right after (a vote for the next configuration), which is no
  // slot left unserved.
  const uint32_t claimed_at_last_sample = claimed_slots_;
  const std::vector<uint16_t> claimants_at_last_sample = claimants_;
  const int64_t last_sample_ns = last_sample_ns_;
  for (int i = 0; i < cluster_.size(); ++i) update(i, now, last_sample_ns_);
  refresh_convergence();
  record_final_nodes();
  for (const auto& [shard, unserved] : unserved_) {
    metrics_.push_back(fmt::format("shard {} without a primary accepting writes since {}",
                                   shard.substr(0, 8), format_time(unserved.since_ns)));
  }
  record_.converged = converged_;
  record_.unserved_slots = slot_count_ - claimed_at_last_sample;
  if (record_.unserved_slots > 0) {
    uint32_t first = 0;
    while (first < slot_count_ && claimants_at_last_sample[first] > 0) ++first;
    record_.coverage_problem =
        fmt::format("{} slot(s) without a serving owner at {}, the first slot {}",
                    record_.unserved_slots, format_time(last_sample_ns), first);
  }
  for (const Watch& watch : watches_) {
    if (watch.done) continue;
    metrics_.push_back(fmt::format("{} of n{} (at {}): not propagated to every live node by {}",
                                   watch.kind == Watch::Kind::failure ? "failure" : "join",
                                   watch.node, format_time(watch.since_ns), format_time(now)));
  }
  return record_;
}

}  // namespace ringcache::sim
