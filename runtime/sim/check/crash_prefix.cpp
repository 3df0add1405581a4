#include "runtime/sim/check/crash_prefix.h"

#include <fmt/format.h>

#include <limits>
#include <map>
#include <optional>

namespace ringcache::sim {
namespace {

constexpr int64_t no_bound = std::numeric_limits<int64_t>::max();

bool changes_value(const Op& op) {
  return op.kind == OpKind::set || op.kind == OpKind::del || is_counter(op.kind);
}

// One crash of a node and what came after it.
struct CrashSpan {
  int node;
  int64_t epoch_start_ns;  // the restart before the crash (0: the start of the run)
  int64_t crash_ns;
  int64_t restart_ns;
  int64_t next_crash_ns;   // reads after it say nothing about this crash
};

// Crashes followed by a restart that kept the disk.
std::vector<CrashSpan> crash_spans(const History& history) {
  std::vector<CrashSpan> spans;
  std::map<int, int64_t> epoch_start;  // node -> its latest restart
  std::map<int, size_t> open;          // node -> index in spans of a crash awaiting its restart
  std::map<int, bool> wiped;         // node -> a wipe awaits its restart
  for (const NodeEvent& event : history.node_events) {
    switch (event.kind) {
      case NodeEvent::Kind::crash:
        for (CrashSpan& span : spans) {
          if (span.node == event.node && span.next_crash_ns == no_bound &&
              span.restart_ns != no_bound) {
            span.next_crash_ns = event.at_ns;
          }
        }
        open[event.node] = spans.size();
        spans.push_back({event.node, epoch_start[event.node], event.at_ns, no_bound, no_bound});
        break;
      case NodeEvent::Kind::wipe:
        wiped[event.node] = true;
        break;
      case NodeEvent::Kind::restart:
        if (auto it = open.find(event.node); it != open.end()) {
          spans[it->second].restart_ns = wiped[event.node] ? no_bound : event.at_ns;
          open.erase(it);
        }
        wiped[event.node] = false;  // a wipe comes before the crash and restart it asks for
        epoch_start[event.node] = event.at_ns;
        break;
    }
  }
  std::erase_if(spans, [](const CrashSpan& span) { return span.restart_ns == no_bound; });
  return spans;
}

// The tightest bounds on the cut point seen so far, with the operations behind them.
struct CutBounds {
  int64_t after_ns = std::numeric_limits<int64_t>::min();  // the cut is later than this
  const Op* after_read = nullptr;
  const Op* after_write = nullptr;
  int64_t by_ns = no_bound;  // ... and no later than this
  const Op* by_read = nullptr;
  const Op* by_write = nullptr;
};

class CrashJudge {
 public:
  CrashJudge(const History& history, const ReadsFrom& reads_from, const CrashSpan& span)
      : history_(history), reads_from_(reads_from), span_(span) {
    for (size_t i = 0; i < history.ops.size(); ++i) {
      const Op& op = history.ops[i];
      if (op.node != span.node || op.invoke_ns >= span.next_crash_ns) continue;
      keys_[op.key].push_back(i);
    }
  }

  std::optional<std::string> judge() {
    CutBounds bounds;
    for (const auto& [key, ops] : keys_) bound_by_key(ops, bounds);
    if (bounds.after_ns < bounds.by_ns) return std::nullopt;
    return fmt::format(
        "after the crash at {:.3f}s: {} shows {}, so the log kept that write, but {} shows a "
        "value that {} (acknowledged before it began) had overwritten: the log lost an earlier "
        "write and kept a later one",
        static_cast<double>(span_.crash_ns) / 1e9, bounds.after_read->describe(),
        bounds.after_write->describe(), bounds.by_read->describe(),
        bounds.by_write->describe());
  }

 private:
  void bound_by_key(const std::vector<size_t>& ops, CutBounds& bounds) const {
    // Reads after this say nothing: a new write of the key may have run before them.
    int64_t fresh_until = span_.next_crash_ns;
    for (size_t i : ops) {
      const Op& op = history_.ops[i];
      if (changes_value(op) && op.invoke_ns >= span_.restart_ns) {
        fresh_until = std::min(fresh_until, op.invoke_ns);
      }
    }
    for (size_t i : ops) {
      const Op* read = &history_.ops[i];
      const int64_t writer = reads_from_.write_of(i);
      // Not a GET that returned a value someone wrote (stale_read reports values nobody wrote).
      if (writer < 0 || read->invoke_ns < span_.restart_ns || read->complete_ns >= fresh_until) {
        continue;
      }
      const Op& write = history_.ops[static_cast<size_t>(writer)];
      if (write.invoke_ns > bounds.after_ns) {
        bounds = CutBounds{write.invoke_ns, read, &write, bounds.by_ns, bounds.by_read,
                           bounds.by_write};
      }
      if (const Op* overwriter = first_acknowledged_overwrite(ops, write);
          overwriter != nullptr && overwriter->complete_ns < bounds.by_ns) {
        bounds.by_ns = overwriter->complete_ns;
        bounds.by_read = read;
        bounds.by_write = overwriter;
      }
    }
  }

  // The write of the same key that surely ran after `write` (began after it was acknowledged),
  // changed the value, and was acknowledged before the crash, acknowledged first; only writes of
  // this crash's epoch count (an earlier crash may have undone older ones).
  const Op* first_acknowledged_overwrite(const std::vector<size_t>& ops, const Op& write) const {
    const Op* first = nullptr;
    for (size_t i : ops) {
      const Op* op = &history_.ops[i];
      if (!changes_value(*op) || !op->succeeded() || op->invoke_ns < span_.epoch_start_ns ||
          op->invoke_ns <= write.complete_ns || op->complete_ns > span_.crash_ns) {
        continue;
      }
      if (first == nullptr || op->complete_ns < first->complete_ns) first = op;
    }
    return first;
  }

  const History& history_;
  const ReadsFrom& reads_from_;
  const CrashSpan& span_;
  std::map<std::string, std::vector<size_t>> keys_;  // op indexes by key
};

}  // namespace

CheckResult check_crash_prefix(const CheckInput& input, const ReadsFrom& reads_from) {
  CheckResult result{"crash_prefix"};
  for (const CrashSpan& span : crash_spans(input.history)) {
    if (auto problem = CrashJudge(input.history, reads_from, span).judge()) {
      result.fail(*problem);
    }
  }
  return result;
}

}  // namespace ringcache::sim
