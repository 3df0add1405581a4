// Membership's periodic work: whom to ping, whom to suspect, when suspicion becomes FAIL.

#include <algorithm>

#include "core/cluster/membership.h"

namespace ringcache::cluster {
std::vector<Outgoing> Membership::tick(int64_t now_ms, Rng& rng) {
  Out out;
  if (self_state_ != SelfState::active) {
    last_tick_ms_ = now_ms;
    return out;
  }
  meet_seeds(out, now_ms);
  ping_peers(out, now_ms, rng);
  detect_failures(out, now_ms);
  const int64_t validity = constants::cluster_fail_report_validity_mult * options_.node_timeout_ms;
  reports_.prune(now_ms, validity);
  table_.prune(now_ms);
  drive_manual_failover(out, now_ms);
  drive_proposals(out, now_ms, rng);
  depart_once_known(out, now_ms, rng);
  return out;
}

// A departing node out of the committed configuration leaves the bus only once a majority of the
// members carry that configuration's epoch: from then on any later configuration builds on it
// and the others learn it from each other. Until then it offers the configuration to each member
// that lacks it, with a ping whose answer shows the epoch the member holds.
void Membership::depart_once_known(Out& out, int64_t now_ms, Rng& rng) {
  if (!departing_ || config_.empty() || config_.contains(options_.self.node_id)) return;
  size_t holding = 0;
  BusMessage offer = make(MessageType::config);
  offer.config = config_;
  for (const ConfigMember& member : config_.members) {
    NodeEntry* entry = table_.find(member.node_id);
    if (entry == nullptr || entry->tombstone()) continue;
    if (entry->committed_epoch >= config_.epoch) {
      if (member.role == NodeRole::primary) ++holding;  // the majority is of primaries
      continue;
    }
    send_to(out, *entry, offer);
    send_ping(out, *entry, now_ms, rng);
  }
  if (holding >= config_.majority()) say_goodbye(out);
}

void Membership::meet_seeds(Out& out, int64_t now_ms) {
  if (options_.seeds.empty() || table_.live_count() > 0) return;
  if (last_meet_ms_ >= 0 && now_ms - last_meet_ms_ < options_.node_timeout_ms / 2) return;
  const std::vector<BusAddress> seeds = options_.seeds;
  for (const BusAddress& seed : seeds) {
    for (Outgoing& outgoing : meet(seed, now_ms)) out.push_back(std::move(outgoing));
  }
}

// A peer is pinged once this node's last round trip with it is a while old (plus a random part
// per peer, so pings spread over time), and again every retry interval while none is answered.
// Hearing the peer's own pings does not delay this: they show that this node hears the peer, not
// that the peer hears this node, so each node of a pair pings the other once per ~0.7 node
// timeout (as Redis Cluster nodes do), and quorum contact never rests on one-way traffic. The
// quorum peers are pinged about twice as often, which keeps the majority's contact within the
// contact window (has_quorum_contact).
void Membership::ping_peers(Out& out, int64_t now_ms, Rng& rng) {
  last_tick_ms_ = now_ms;
  const int64_t timeout = options_.node_timeout_ms;
  const int64_t retry_ms = timeout * constants::cluster_ping_retry_pct / 100;
  const std::vector<NodeId> quorum = quorum_peers();
  for (auto& [id, entry] : table_.entries()) {
    if (entry.tombstone()) continue;
    const bool quick = std::binary_search(quorum.begin(), quorum.end(), id);
    const int64_t silence_pct = quick ? constants::cluster_quorum_ping_after_silence_pct
                                      : constants::cluster_ping_after_silence_pct;
    const int64_t jitter_pct =
        quick ? constants::cluster_quorum_ping_jitter_pct : constants::cluster_ping_jitter_pct;
    const int64_t due_ms =
        timeout * (silence_pct * 1000 + jitter_pct * entry.ping_jitter_permille) / (100 * 1000);
    if (entry.last_contact_ms >= 0 && now_ms - entry.last_contact_ms < due_ms) continue;
    if (entry.last_ping_ms >= 0 && now_ms - entry.last_ping_ms < retry_ms) continue;
    send_ping(out, entry, now_ms, rng);
    entry.ping_jitter_permille = static_cast<int64_t>(rng.below(1001));
  }
}

// Enough of the configuration's primaries for a majority with this node, plus spares: those that
// answered most recently first, so a peer that goes silent falls behind and a spare, already
// pinged quickly, takes its place. Sorted by id.
std::vector<NodeId> Membership::quorum_peers() const {
  std::vector<const NodeEntry*> primaries;
  for (const ConfigMember& member : config_.members) {
    if (member.role != NodeRole::primary || member.node_id == options_.self.node_id) continue;
    const NodeEntry* entry = table_.find(member.node_id);
    if (entry != nullptr && !entry->tombstone()) primaries.push_back(entry);
  }
  const size_t self_counts = config_.is_primary(options_.self.node_id) ? 1 : 0;
  const size_t wanted = std::min(primaries.size(), config_.majority() - self_counts +
                                                       constants::cluster_quorum_spare_peers);
  std::partial_sort(primaries.begin(), primaries.begin() + static_cast<ptrdiff_t>(wanted),
                    primaries.end(), [](const NodeEntry* a, const NodeEntry* b) {
                      if (a->last_contact_ms != b->last_contact_ms) {
                        return a->last_contact_ms > b->last_contact_ms;
                      }
                      return a->address.node_id < b->address.node_id;
                    });
  std::vector<NodeId> ids;
  ids.reserve(wanted);
  for (size_t i = 0; i < wanted; ++i) ids.push_back(primaries[i]->address.node_id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

void Membership::detect_failures(Out& out, int64_t now_ms) {
  std::vector<NodeId> candidates;
  for (const auto& [id, entry] : table_.entries()) {
    if (entry.tombstone()) continue;
    const bool silent = now_ms - entry.last_heard_ms > options_.node_timeout_ms;
    const bool report_due =
        entry.last_suspect_ms < 0 || now_ms - entry.last_suspect_ms >= options_.node_timeout_ms / 2;
    if (silent && (!entry.pfail || report_due)) candidates.push_back(id);
  }
  for (const NodeId& id : candidates) {
    NodeEntry* entry = table_.find(id);
    if (entry != nullptr && !entry->tombstone()) suspect(out, *entry, now_ms);
  }
}

// Local suspicion (PFAIL): reported to the target's collectors, gossiped as status suspect, and
// counted here when this node is a primary of the configuration.
void Membership::suspect(Out& out, NodeEntry& entry, int64_t now_ms) {
  if (!entry.pfail) {
    entry.pfail = true;
    table_.mark_changed(entry, now_ms);
  }
  entry.last_suspect_ms = now_ms;
  const NodeId target = entry.address.node_id;
  if (config_.is_primary(options_.self.node_id)) {
    reports_.add(target, options_.self.node_id, entry.incarnation, now_ms);
  }
  BusMessage report = make(MessageType::suspect);
  report.target_id = target;
  report.target_incarnation = entry.incarnation;
  for (const NodeId& collector : fail_collectors(target)) {
    if (collector == options_.self.node_id) continue;
    if (const NodeEntry* to = table_.find(collector)) send_to(out, *to, report);
  }
  maybe_declare_failed(out, target, now_ms);
}

// The first cluster_fail_collectors live nodes after `target` in node id order (wrapping), this
// node included: every node with a similar view picks the same few.
std::vector<NodeId> Membership::fail_collectors(const NodeId& target) const {
  std::vector<NodeId> ring;
  for (const auto& [id, entry] : table_.entries()) {
    if (!entry.tombstone() && !entry.pfail && id != target) ring.push_back(id);
  }
  ring.insert(std::lower_bound(ring.begin(), ring.end(), options_.self.node_id),
              options_.self.node_id);
  std::vector<NodeId> collectors;
  auto it = std::upper_bound(ring.begin(), ring.end(), target);
  for (size_t i = 0; i < std::min(constants::cluster_fail_collectors, ring.size()); ++i) {
    if (it == ring.end()) it = ring.begin();
    collectors.push_back(*it++);
  }
  return collectors;
}

// FAIL needs this node's own suspicion and valid reports from a majority of the configuration's
// primaries (its own included).
void Membership::maybe_declare_failed(Out& out, const NodeId& target, int64_t now_ms) {
  NodeEntry* entry = table_.find(target);
  if (entry == nullptr || entry->tombstone() || !entry->pfail || config_.empty()) return;
  const int64_t validity = constants::cluster_fail_report_validity_mult * options_.node_timeout_ms;
  const size_t reports = reports_.count(target, config_, entry->incarnation, now_ms, validity);
  if (reports >= config_.majority()) declare_failed(out, *entry, now_ms);
}

void Membership::declare_failed(Out& out, NodeEntry& entry, int64_t now_ms) {
  mark_failed(entry, now_ms);
  BusMessage fail = make(MessageType::fail);
  fail.target_id = entry.address.node_id;
  fail.target_incarnation = entry.incarnation;
  for (const auto& [id, peer] : table_.entries()) {
    if (!peer.tombstone()) send_to(out, peer, fail);
  }
  send_to(out, entry, fail);  // if it is alive after all, it learns it must rejoin
}

void Membership::mark_failed(NodeEntry& entry, int64_t now_ms) {
  entry.status = NodeStatus::failed;
  entry.pfail = false;
  table_.mark_changed(entry, now_ms);
  reports_.forget(entry.address.node_id);
  if (config_.contains(entry.address.node_id)) {
    queue_failure_removal(entry.address.node_id, now_ms);
  }
}

}  // namespace ringcache::cluster
