#include "runtime/sim/check/single_node.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "core/cluster/key_slot.h"
#include "runtime/sim/check/cluster_record.h"
#include "runtime/sim/check/key_index.h"
#include "runtime/sim/time_units.h"

namespace ringcache::sim {
namespace {

// A crash of the node that no acknowledged write has overwritten yet: the key may be gone.
bool crash_is_current(const CheckInput& input, const KeyIndex& key, const Op& read) {
  for (const NodeEvent& event : input.history.node_events) {
    if (event_loses_data(input, event) && event.node == read.node &&
        event.at_ns < read.complete_ns && !key.superseded(event.at_ns, read)) {
      return true;
    }
  }
  return false;
}

// How far back a crash may have set `node` when `read` began, with an AOF that fsyncs every
// second or less: each crash loses at most the writes acknowledged in its last
// crash_revert_window_ns. When that window reaches back past the restart before the crash, every
// write since that restart may be gone, and the node may stand where the crash before left it:
// the window of that crash applies too (short lives between crashes add up). nullopt: no crash
// counts (none yet, or the key was written and acknowledged since the last one).
std::optional<int64_t> crash_revert_floor(const CheckInput& input, const KeyIndex& key,
                                          const Op& read) {
  std::vector<std::pair<int64_t, int64_t>> lives;  // (crash, the restart before it) by time
  int64_t restarted_at = 0;
  for (const NodeEvent& event : input.history.node_events) {
    if (event.node != read.node || event.at_ns >= read.invoke_ns) continue;
    if (event.kind == NodeEvent::Kind::restart) restarted_at = event.at_ns;
    if (event.kind == NodeEvent::Kind::crash) lives.emplace_back(event.at_ns, restarted_at);
  }
  if (lives.empty() || key.acked_between(lives.back().first, read.invoke_ns)) return std::nullopt;
  if (input.crash_revert_window_ns == INT64_MAX) return INT64_MIN;
  int64_t kept_until = INT64_MAX;
  for (auto life = lives.rbegin(); life != lives.rend(); ++life) {
    kept_until = std::min(kept_until, life->first - input.crash_revert_window_ns);
    if (kept_until >= life->second) break;  // this life kept some writes: older ones stand
  }
  return kept_until;
}

// The horizon `read` is judged against: writes acknowledged before it began overwrite those that
// ended before — unless a crash since may have undone them (an AOF that fsyncs every second or
// less): then only writes acknowledged before the crash's loss window count.
int64_t effective_horizon(const CheckInput& input, const KeyIndex& key, const Op& read) {
  const int64_t horizon = key.horizon(read);
  if (input.crash_revert_window_ns == 0) return horizon;
  if (auto floor = crash_revert_floor(input, key, read)) {
    return std::min(horizon, key.horizon_before(*floor));
  }
  return horizon;
}

// Whether the TTL `op` set may have run out by the end of `read` on the node's clock (at its
// highest since: active expiry may have removed the key before a backward jump).
bool ran_out(const CheckInput& input, const Op& op, const Op& read) {
  if (op.ttl_ms <= 0) return false;
  const int64_t peak = wall_peak_ms(input, read.node, op.invoke_ns, read.complete_ns);
  return peak + expiry_slack_ms >= op_wall_window(input, op).lo_ms + op.ttl_ms;
}

// A miss is explained by eviction, a crash, the initial state, or a current delete or TTL.
bool miss_explained(const CheckInput& input, const KeyIndex& key, const Op& read) {
  const int64_t horizon = effective_horizon(input, key, read);
  if (input.may_evict || horizon == INT64_MIN || crash_is_current(input, key, read)) return true;
  for (const Op* op : key.current(read, horizon)) {
    if (op->kind == OpKind::del || ran_out(input, *op, read)) return true;
  }
  return false;
}

std::optional<std::string> judge_read(const CheckInput& input, const KeyIndex& key,
                                      size_t read_index) {
  const Op& read = input.history.ops[read_index];
  if (read.reply->type != RespValue::Type::bulk) {
    if (miss_explained(input, key, read)) return std::nullopt;
    return "a miss although the key was written and neither deleted, expired nor evicted";
  }
  const Op* write = key.set_read_by(read_index);
  if (write == nullptr) return "a value nobody wrote";
  if (write->invoke_ns > read.complete_ns) return "a value written only after the read";
  if (write->complete_ns < effective_horizon(input, key, read)) {
    return "a stale value: a later write was acknowledged before the read began";
  }
  return std::nullopt;
}

// How long after the latest deadline `write`'s value may have had (its own TTL, or a later one
// an EXPIRE gave it before `read` ended) `read` began, each deadline judged on the clock of the
// node that set it: in a cluster the value may be read on another node, whose wall clock differs.
//
// In a cluster the key may have travelled from its setter to the reader, through the nodes that
// served its slot meanwhile: moved with its remaining TTL, counted from then on the new holder's
// clock, or (with replicas) to a replica promoted since, which judges the absolute deadline (PXAT)
// on its own clock (ms_past_travelled_deadline). Judged at the read on the setter's clock too
// (the key not moved before), and with replicas on every holder's.
int64_t ms_past_deadline(const CheckInput& input, const KeyIndex& key, const Op& write,
                         const Op& read) {
  const auto late_on = [&](int node, int64_t deadline) {
    return wall_window(input, node, read.invoke_ns, read.complete_ns).lo_ms - deadline;
  };
  const auto past = [&](const Op& setter) {
    const int64_t deadline = op_wall_window(input, setter).hi_ms + setter.ttl_ms;
    int64_t late = late_on(setter.node, deadline);
    if (input.cluster == nullptr) return late;
    const uint16_t slot = cluster::key_slot(read.key);
    const KeyTravel travel{setter.node, read.node,
                           slot_holders(input, slot, setter.invoke_ns, read.complete_ns),
                           input.replicas};
    late = std::min(late, ms_past_travelled_deadline(input, travel, deadline, setter.invoke_ns,
                                                     read.invoke_ns));
    if (!input.replicas) return late;
    late = std::min(late, late_on(read.node, deadline));
    for (int node : travel.holders) late = std::min(late, late_on(node, deadline));
    return late;
  };
  int64_t least = past(write);
  for (const Op* expire : key.expiries_after(write, read)) least = std::min(least, past(*expire));
  return least;
}

}  // namespace

KeyIndexes index_keys(const CheckInput& input, const ReadsFrom& reads_from) {
  KeyIndexes keys;
  for (size_t i = 0; i < input.history.ops.size(); ++i) {
    const Op& op = input.history.ops[i];
    // In a cluster a key's operations form one history whichever node ran them.
    const int node = input.cluster ? -1 : op.node;
    keys.try_emplace({node, op.key}, input, reads_from, node).first->second.add(i);
  }
  for (auto& entry : keys) entry.second.finish();
  return keys;
}

CheckResult check_stale_reads(const CheckInput& input, const KeyIndexes& keys) {
  CheckResult result{"stale_read"};
  for (const auto& [id, key] : keys) {
    for (size_t i : key.reads()) {
      if (auto problem = judge_read(input, key, i)) {
        result.fail(fmt::format("{}: {}", input.history.ops[i].describe(), *problem));
      }
    }
  }
  return result;
}

CheckResult check_expiry(const CheckInput& input, const KeyIndexes& keys) {
  CheckResult result{"expiry"};
  for (const auto& [id, key] : keys) {
    for (size_t i : key.reads()) {
      const Op& read = input.history.ops[i];
      if (read.reply->type != RespValue::Type::bulk) continue;
      const Op* write = key.set_read_by(i);
      if (write == nullptr || write->ttl_ms == 0) continue;  // only values born with a TTL
      const int64_t late_ms = ms_past_deadline(input, key, *write, read);
      if (late_ms > expiry_slack_ms) {
        result.fail(fmt::format("{}: returned {}ms after it expired (on the clock of the node "
                                "that set its TTL)",
                                read.describe(), late_ms));
      }
    }
  }
  return result;
}

}  // namespace ringcache::sim
