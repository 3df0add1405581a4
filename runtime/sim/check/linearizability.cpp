#include "runtime/sim/check/linearizability.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "core/cluster/key_slot.h"
#include "runtime/sim/check/lin_search.h"

namespace ringcache::sim {
namespace {

using lin::Kind;
using lin::Outcome;
using lin::Step;

struct KeyHistory {
  std::vector<Step> steps;
};

// The first crash of `node` after `after_ns`: an operation in flight then cannot take effect
// later when a crash empties the node.
int64_t crash_after(const CheckInput& input, int node, int64_t after_ns) {
  for (const NodeEvent& event : input.history.node_events) {
    if (event_loses_data(input, event) && event.node == node && event.at_ns >= after_ns) {
      return event.at_ns;
    }
  }
  return never_ns;
}

Outcome outcome_of(const Op& op) {
  if (!op.reply) return Outcome::unknown;
  const RespValue& reply = *op.reply;
  switch (op.kind) {
    case OpKind::set:
      return Outcome::ok;
    case OpKind::get:
      return reply.type == RespValue::Type::bulk ? Outcome::hit : Outcome::miss;
    case OpKind::incr:
      return Outcome::number;
    default:
      return reply.integer == 1 ? Outcome::one : Outcome::zero;
  }
}

Kind kind_of(OpKind kind) {
  switch (kind) {
    case OpKind::set:
      return Kind::set;
    case OpKind::get:
      return Kind::get;
    case OpKind::del:
      return Kind::del;
    case OpKind::incr:
      return Kind::incr;
    case OpKind::expire:
    case OpKind::pexpire:
      return Kind::expire;
  }
  return Kind::get;
}

std::optional<Step> to_step(const CheckInput& input, const Op& op, size_t index) {
  if (op.reply && op.reply->is_error()) return std::nullopt;     // refused: no effect
  if (!op.reply && op.kind == OpKind::get) return std::nullopt;  // a lost read changes nothing
  Step step;
  step.kind = kind_of(op.kind);
  step.outcome = outcome_of(op);
  step.call_ns = op.invoke_ns;
  step.return_ns =
      op.reply ? op.complete_ns : std::min(crash_after(input, op.node, op.invoke_ns), never_ns);
  step.ttl_ms = op.ttl_ms;
  step.number = op.reply ? op.reply->integer : 0;
  step.wall = op_wall_window(input, op);
  step.op_index = index;
  step.node = op.node;
  return step;
}

std::map<std::pair<int, std::string>, KeyHistory> split_by_key(const CheckInput& input,
                                                               const ReadsFrom& reads_from) {
  std::map<std::pair<int, std::string>, KeyHistory> keys;
  const auto& ops = input.history.ops;
  for (size_t i = 0; i < ops.size(); ++i) {
    auto step = to_step(input, ops[i], i);
    if (!step) continue;
    const Op& op = ops[i];
    if (op.kind == OpKind::set) step->value = static_cast<int64_t>(i);
    // Hits name the SET they saw (by value); a value nobody wrote cannot match (-3).
    if (step->kind == Kind::get && step->outcome == Outcome::hit) {
      const int64_t write = reads_from.write_of(i);
      step->value = write < 0 ? -3 : write;
    }
    // In a cluster a key's operations form one history whichever node ran them.
    keys[{input.cluster ? -1 : op.node, op.key}].steps.push_back(*step);
  }
  return keys;
}

void add_wipes(const CheckInput& input, int node, std::vector<Step>& steps) {
  for (const NodeEvent& event : input.history.node_events) {
    if (!event_loses_data(input, event) || event.node != node) continue;
    Step wipe;
    wipe.kind = Kind::wipe;
    wipe.call_ns = wipe.return_ns = event.at_ns;
    wipe.op_index = SIZE_MAX;
    steps.push_back(wipe);
  }
}

// Cluster mode: the key may have been reset wherever its slot changed hands in some node's view
// (a failover passes a slot on empty; a node that went down or rejoined dropped it).
void add_maybe_wipes(const std::vector<const OwnershipChange*>& changes, std::vector<Step>& steps) {
  for (const OwnershipChange* change : changes) {
    Step wipe;
    wipe.kind = Kind::maybe_wipe;
    wipe.call_ns = change->after_ns;
    wipe.return_ns = change->by_ns;
    wipe.op_index = SIZE_MAX;
    wipe.node = change->node;
    steps.push_back(wipe);
  }
}

// Keeps at most `max` steps: the prefix up to the last point where nothing was in flight.
bool cap(std::vector<Step>& steps, size_t max) {
  if (steps.size() <= max) return true;
  std::sort(steps.begin(), steps.end(),
            [](const Step& a, const Step& b) { return a.call_ns < b.call_ns; });
  int64_t latest_return = 0;
  size_t cut = 0;
  for (size_t i = 0; i < max; ++i) {
    if (steps[i].call_ns > latest_return && i > 0) cut = i;
    latest_return = std::max(latest_return, steps[i].return_ns);
  }
  if (cut == 0) return false;
  steps.resize(cut);
  return true;
}

}  // namespace

CheckResult check_linearizability(const CheckInput& input, LinearizabilityOptions options,
                                  const ReadsFrom* reads_from) {
  CheckResult result{"linearizability"};
  std::optional<ReadsFrom> own;
  if (reads_from == nullptr) reads_from = &own.emplace(input.history, input.cluster != nullptr);
  std::map<uint16_t, std::vector<const OwnershipChange*>> changes_by_slot;
  if (input.cluster) {
    for (const OwnershipChange& change : input.cluster->changes) {
      changes_by_slot[change.slot].push_back(&change);
    }
  }
  for (auto& [id, key] : split_by_key(input, *reads_from)) {
    const auto& [node, name] = id;
    if (input.cluster) {
      add_maybe_wipes(changes_by_slot[cluster::key_slot(name)], key.steps);
    } else {
      add_wipes(input, node, key.steps);
    }
    if (!cap(key.steps, options.ops_per_key_max)) {
      result.inconclusive = true;
      continue;
    }
    const auto found = lin::search(lin::ModelContext{input, node}, key.steps, options.states_max);
    if (found.verdict == lin::SearchResult::Verdict::inconclusive) result.inconclusive = true;
    if (found.verdict != lin::SearchResult::Verdict::violation) continue;
    const Step& stuck = key.steps[found.stuck_at];
    const std::string culprit = stuck.op_index == SIZE_MAX
                                    ? "a crash or slot change"
                                    : input.history.ops[stuck.op_index].describe();
    const std::string where = node < 0 ? "cluster" : fmt::format("n{}", node);
    result.fail(
        fmt::format("{} key {}: not linearizable ({} ops; at most {} linearized; "
                    "stuck at {})",
                    where, name, key.steps.size(), found.deepest, culprit));
  }
  return result;
}

}  // namespace ringcache::sim
