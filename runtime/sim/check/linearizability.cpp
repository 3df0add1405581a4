#include "runtime/sim/check/linearizability.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

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
    case OpKind::script_incr:
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
    case OpKind::script_incr:
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
  step.delta = counter_delta(op.kind);
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
// (a failover passes a slot on empty; a node that went down or rejoined dropped it), but not in
// a planned move when moves keep their data.
void add_maybe_wipes(const CheckInput& input, const std::vector<const OwnershipChange*>& changes,
                     std::vector<Step>& steps) {
  for (const OwnershipChange* change : changes) {
    if (change->planned && input.planned_moves_keep_data) continue;
    Step wipe;
    wipe.kind = Kind::maybe_wipe;
    wipe.call_ns = change->after_ns;
    wipe.return_ns = change->by_ns;
    wipe.op_index = SIZE_MAX;
    wipe.node = change->node;
    steps.push_back(wipe);
  }
}

// An operation with an unknown outcome may take effect any time until its node crashes: it does
// not keep the key in flight, it is carried across cuts as pending (lin::Config).
bool may_stay_pending(const Step& step) {
  return step.op_index != SIZE_MAX && step.outcome == Outcome::unknown;
}

// Where the time-sorted `steps` may be cut: before each step called after every earlier step
// returned (but those that may stay pending). Nothing else is in flight there, so every legal
// order puts the pieces one after another and the configurations a piece may end in are
// exactly those the next may start from.
std::vector<size_t> quiescent_cuts(const std::vector<Step>& steps) {
  std::vector<size_t> cuts;
  int64_t latest_return = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    if (i > 0 && steps[i].call_ns > latest_return) cuts.push_back(i);
    if (!may_stay_pending(steps[i])) latest_return = std::max(latest_return, steps[i].return_ns);
  }
  cuts.push_back(steps.size());
  return cuts;
}

size_t count_ops(std::span<const Step> steps) {
  return static_cast<size_t>(std::count_if(steps.begin(), steps.end(), [](const Step& step) {
    return step.op_index != SIZE_MAX;  // crashes and slot changes are not operations
  }));
}

struct KeyVerdict {
  lin::SearchResult::Verdict verdict = lin::SearchResult::Verdict::linearizable;
  size_t ops_checked = 0;  // operations in the pieces searched to the end
  size_t ops = 0;          // operations of the key
  size_t pieces = 0;       // pieces searched
  std::string why;         // inconclusive: what ran out; violation: the message's detail
};

// Where each operation that may stay pending sits in the time-sorted steps, by History::ops index.
std::unordered_map<size_t, size_t> pending_positions(const std::vector<Step>& steps) {
  std::unordered_map<size_t, size_t> positions;  // look-ups only
  for (size_t i = 0; i < steps.size(); ++i) {
    if (may_stay_pending(steps[i])) positions.emplace(steps[i].op_index, i);
  }
  return positions;
}

// The piece [begin, end) of `steps`, after the operations the configurations leave pending.
std::vector<Step> piece_steps(const std::vector<Step>& steps, size_t begin, size_t end,
                              const std::vector<lin::Config>& configs,
                              const std::unordered_map<size_t, size_t>& pending_at) {
  std::vector<size_t> carried;
  for (const lin::Config& config : configs) {
    carried.insert(carried.end(), config.pending.begin(), config.pending.end());
  }
  std::sort(carried.begin(), carried.end());
  carried.erase(std::unique(carried.begin(), carried.end()), carried.end());
  std::vector<Step> piece;
  piece.reserve(carried.size() + end - begin);
  for (size_t op : carried) piece.push_back(steps[pending_at.at(op)]);
  piece.insert(piece.end(), steps.begin() + begin, steps.begin() + end);
  return piece;
}

std::string violation_detail(const CheckInput& input, const KeyVerdict& verdict,
                             const lin::Piece& piece, const lin::SearchResult& found,
                             size_t own_ops) {
  const Step& stuck = piece.steps[found.stuck_at];
  const std::string culprit = stuck.op_index == SIZE_MAX
                                  ? "a crash or slot change"
                                  : input.history.ops[stuck.op_index].describe();
  return fmt::format("{} ops; in the piece of ops {}..{}, at most {} linearized; stuck at {}",
                     verdict.ops, verdict.ops_checked + 1, verdict.ops_checked + own_ops,
                     found.deepest, culprit);
}

// Checks one key piece by piece, carrying the configurations it may be in across each cut.
KeyVerdict check_key(const CheckInput& input, int node, int slot, std::vector<Step>& steps,
                     const LinearizabilityOptions& options) {
  using Verdict = lin::SearchResult::Verdict;
  std::stable_sort(steps.begin(), steps.end(),
                   [](const Step& a, const Step& b) { return a.call_ns < b.call_ns; });
  KeyVerdict out;
  out.ops = count_ops(steps);
  std::vector<lin::Config> configs{lin::Config{}};
  size_t begin = 0;
  const std::vector<size_t> cuts =
      options.cut ? quiescent_cuts(steps) : std::vector<size_t>{steps.size()};
  const auto pending_at = pending_positions(steps);
  for (size_t end : cuts) {
    const std::vector<Step> own_and_carried = piece_steps(steps, begin, end, configs, pending_at);
    const size_t own = end - begin;
    // A single node's pending operation ends at a crash that wipes it, or never (cluster mode
    // lets a crash end it without a wipe).
    const lin::Piece piece{own_and_carried, own_and_carried.size() - own,
                           end == steps.size() ? never_ns : steps[end].call_ns,
                           input.cluster == nullptr};
    if (piece.steps.size() > options.ops_per_piece_max) {
      out.verdict = Verdict::inconclusive;
      out.why = fmt::format("{} ops with no quiescent point between (over {})", piece.steps.size(),
                            options.ops_per_piece_max);
      return out;
    }
    auto found = lin::search(lin::ModelContext{input, node, slot}, piece, configs,
                             {options.states_max, options.end_states_max, end != steps.size()});
    ++out.pieces;
    out.verdict = found.verdict;
    const size_t own_ops = count_ops(piece.steps.subspan(piece.carried));
    if (found.verdict == Verdict::inconclusive) {
      out.why = fmt::format("a piece of {} ops went over {} states or {} end states",
                            piece.steps.size(), options.states_max, options.end_states_max);
      return out;
    }
    if (found.verdict == Verdict::violation) {
      out.why = violation_detail(input, out, piece, found, own_ops);
      return out;
    }
    out.ops_checked += own_ops;
    configs = std::move(found.ends);
    begin = end;
  }
  return out;
}

struct Tally {
  size_t keys = 0, ops = 0, pieces = 0, inconclusive_keys = 0, ops_unchecked = 0;
  void add_to(CheckResult& result) const {
    result.counts = {{"keys", keys},
                     {"ops", ops},
                     {"pieces", pieces},
                     {"inconclusive_keys", inconclusive_keys},
                     {"ops_unchecked", ops_unchecked}};
  }
};

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
  Tally tally;
  for (auto& [id, key] : split_by_key(input, *reads_from)) {
    const auto& [node, name] = id;
    if (input.cluster) {
      add_maybe_wipes(input, changes_by_slot[cluster::key_slot(name)], key.steps);
    } else {
      add_wipes(input, node, key.steps);
    }
    const int slot = input.cluster ? static_cast<int>(cluster::key_slot(name)) : -1;
    const KeyVerdict verdict = check_key(input, node, slot, key.steps, options);
    const std::string where = node < 0 ? "cluster" : fmt::format("n{}", node);
    ++tally.keys;
    tally.ops += verdict.ops_checked;
    tally.pieces += verdict.pieces;
    switch (verdict.verdict) {
      case lin::SearchResult::Verdict::linearizable:
        break;
      case lin::SearchResult::Verdict::inconclusive:
        result.inconclusive = true;
        ++tally.inconclusive_keys;
        tally.ops_unchecked += verdict.ops - verdict.ops_checked;
        result.note(fmt::format("{} key {}: inconclusive after {} of {} ops: {}", where, name,
                                verdict.ops_checked, verdict.ops, verdict.why));
        break;
      case lin::SearchResult::Verdict::violation:
        result.fail(fmt::format("{} key {}: not linearizable ({})", where, name, verdict.why));
        break;
    }
  }
  tally.add_to(result);
  return result;
}

}  // namespace ringcache::sim
