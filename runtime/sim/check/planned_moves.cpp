#include "runtime/sim/check/planned_moves.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "core/cluster/key_slot.h"
#include "runtime/sim/check/key_index.h"
#include "runtime/sim/check/lost_writes.h"
#include "runtime/sim/run_digest.h"
#include "runtime/sim/time_units.h"

namespace ringcache::sim {
namespace {

using Changes = std::vector<const OwnershipChange*>;

// Each lost write is reported once, with the first read that missed it.
struct Report {
  CheckResult& result;
  std::set<uint64_t> lost;  // ids of the writes reported
  void add(const Op& write, std::optional<std::string> problem) {
    if (problem && lost.insert(write.id).second) result.fail(std::move(*problem));
  }
};

// The changes of a slot that overlap [from_ns, to_ns].
Changes changes_between(const Changes& changes, int64_t from_ns, int64_t to_ns) {
  Changes out;
  for (const OwnershipChange* change : changes) {
    if (change->after_ns <= to_ns && change->by_ns >= from_ns) out.push_back(change);
  }
  return out;
}

std::string describe_moves(const Changes& planned) {
  std::string text;
  for (const OwnershipChange* change : planned) {
    if (!text.empty()) text += ", ";
    text += fmt::format("n{} in [{}, {}]", change->node, format_time(change->after_ns),
                        format_time(change->by_ns));
  }
  return text;
}

// The problem, when the only changes of the slot between the write and the read were planned.
std::optional<std::string> judge(const Op& write, const Op& read, const Changes& slot_changes) {
  const Changes between = changes_between(slot_changes, write.invoke_ns, read.complete_ns);
  Changes planned;
  for (const OwnershipChange* change : between) {
    if (!change->planned) return std::nullopt;  // a failure there may have lost it
    planned.push_back(change);
  }
  if (planned.empty()) return std::nullopt;
  const cluster::Slot slot = cluster::key_slot(read.key);
  return fmt::format(
      "key {} (slot {}): the acknowledged write {} was lost in a planned move of its slot "
      "(changed hands at {}): the read {} missed it",
      read.key, slot, write.describe(), describe_moves(planned), read.describe());
}

// A register key's operations, indexed, and those that observed the key (found a value or found
// it absent), in invocation order.
struct RegisterKey {
  KeyIndex index;
  std::vector<size_t> observations;
};

void check_registers(const CheckInput& input, const ReadsFrom& reads_from,
                     std::map<uint16_t, Changes>& by_slot, Report& report) {
  std::map<std::string, RegisterKey> keys;
  const auto& ops = input.history.ops;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (is_counter(ops[i].kind)) continue;
    auto [entry, added] = keys.try_emplace(ops[i].key, RegisterKey{{input, reads_from, -1}, {}});
    entry->second.index.add(i);
    const bool hit = ops[i].kind == OpKind::get && ops[i].succeeded() && found_value(ops[i]);
    if (hit || found_absent(ops[i])) entry->second.observations.push_back(i);
  }
  for (auto& [name, entry] : keys) {
    KeyIndex& key = entry.index;
    key.finish();
    const Changes& slot_changes = by_slot[cluster::key_slot(name)];
    if (slot_changes.empty()) continue;
    for (size_t i : entry.observations) {
      const Op& read = ops[i];
      if (key.horizon(read) == INT64_MIN) continue;
      if (read_explained(input, key, i)) continue;
      const Op* write = lost_write(key, read);
      if (write == nullptr) continue;
      if (!report.lost.contains(write->id)) report.add(*write, judge(*write, read, slot_changes));
    }
  }
}

// Counters: an INCR answers at least one more than every INCR acknowledged before it began.
void check_counters(const CheckInput& input, std::map<uint16_t, Changes>& by_slot, Report& report) {
  if (input.may_evict) return;
  std::map<std::string, std::vector<const Op*>> keys;
  for (const Op& op : input.history.ops) {
    if (is_counter(op.kind) && op.succeeded()) keys[op.key].push_back(&op);
  }
  for (auto& [name, incrs] : keys) {
    const Changes& slot_changes = by_slot[cluster::key_slot(name)];
    if (slot_changes.empty()) continue;
    std::vector<const Op*> by_completion = incrs;
    std::sort(by_completion.begin(), by_completion.end(),
              [](const Op* a, const Op* b) { return a->complete_ns < b->complete_ns; });
    const Op* highest = nullptr;  // among those acknowledged before `read` began
    size_t done = 0;
    for (const Op* read : incrs) {  // in invocation order
      for (; done < by_completion.size() && by_completion[done]->complete_ns < read->invoke_ns;
           ++done) {
        const Op* next = by_completion[done];
        if (!highest || next->reply->integer > highest->reply->integer) highest = next;
      }
      if (highest == nullptr || read->reply->integer > highest->reply->integer) continue;
      if (!report.lost.contains(highest->id)) {
        report.add(*highest, judge(*highest, *read, slot_changes));
      }
    }
  }
}

}  // namespace

CheckResult check_cluster_moves_keep_data(const CheckInput& input, const ClusterRecord& record,
                                          const ReadsFrom& reads_from) {
  CheckResult result{"cluster_moves_keep_data"};
  std::map<uint16_t, Changes> by_slot;
  for (const OwnershipChange& change : record.changes) by_slot[change.slot].push_back(&change);
  Report report{result, {}};
  check_registers(input, reads_from, by_slot, report);
  check_counters(input, by_slot, report);
  return result;
}

}  // namespace ringcache::sim
