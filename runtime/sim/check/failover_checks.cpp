#include "runtime/sim/check/failover_checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/cluster/key_slot.h"
#include "runtime/sim/check/key_index.h"
#include "runtime/sim/check/lost_writes.h"
#include "runtime/sim/run_digest.h"
#include "runtime/sim/time_units.h"

namespace ringcache::sim {
namespace {

std::string short_id(const std::string& id) { return id.substr(0, 8); }

int64_t end_of(const ShardInterval& interval, int64_t end_ns) {
  return std::min(interval.to_ns, end_ns);
}

}  // namespace

CheckResult check_shard_single_primary(const CheckInput& input, const ClusterRecord& record) {
  CheckResult result{"shard_single_primary"};
  std::map<std::string, std::vector<const ShardInterval*>> by_shard;
  for (const ShardInterval& writer : record.writers) by_shard[writer.shard].push_back(&writer);
  for (const auto& [shard, writers] : by_shard) {
    for (size_t i = 0; i < writers.size(); ++i) {
      for (size_t j = i + 1; j < writers.size(); ++j) {
        const ShardInterval& a = *writers[i];
        const ShardInterval& b = *writers[j];
        if (a.node == b.node) continue;
        const int64_t from = std::max(a.from_ns, b.from_ns);
        const int64_t to = std::min(end_of(a, input.end_ns), end_of(b, input.end_ns));
        if (to - from <= record.allowed_overlap_ns) continue;
        result.fail(fmt::format(
            "shard {}: n{} and n{} both accepted writes (serving primaries, each by its own view) "
            "from {} to {}, longer than the allowed {}",
            short_id(shard), a.node, b.node, format_time(from), format_time(to),
            format_time(record.allowed_overlap_ns)));
      }
    }
  }
  result.counts = {{"shards", by_shard.size()}, {"writer_intervals", record.writers.size()}};
  return result;
}

namespace {

// The shard `node` last joined at or before `at_ns` (empty: none).
std::string shard_at(const ClusterRecord& record, int node, int64_t at_ns) {
  const ShardInterval* last = nullptr;
  for (const ShardInterval& member : record.shard_members) {
    if (member.node == node && member.from_ns <= at_ns) last = &member;
  }
  return last != nullptr ? last->shard : std::string();
}

// The shards that held `slot` during [from_ns, to_ns]: those of the nodes that claimed it.
std::set<std::string> holders(const ClusterRecord& record, uint16_t slot, int64_t from_ns,
                              int64_t to_ns) {
  std::set<std::string> shards;
  for (const auto& [key, intervals] : record.claims) {
    if (key.second != slot) continue;
    for (const SlotInterval& claim : intervals) {
      if (claim.from_ns > to_ns || claim.to_ns < from_ns) continue;
      shards.insert(shard_at(record, key.first, std::max(claim.from_ns, from_ns)));
    }
  }
  return shards;
}

// The nodes of `shards` that failed in [from_ns, to_ns] — lost their data, or were held failed by
// another node (the cluster then gives up on what they hold) — once per (node, shard).
std::set<std::pair<int, std::string>> failures(const CheckInput& input, const ClusterRecord& record,
                                               const std::set<std::string>& shards,
                                               int64_t from_ns, int64_t to_ns) {
  std::set<std::pair<int, std::string>> failed;
  auto add = [&](int node, int64_t at_ns) {
    if (at_ns < from_ns || at_ns > to_ns) return;
    std::string shard = shard_at(record, node, at_ns);
    if (shards.contains(shard)) failed.emplace(node, std::move(shard));
  };
  for (const NodeEvent& event : input.history.node_events) {
    if (event_loses_data(input, event)) add(event.node, event.at_ns);
  }
  for (const auto& [node, at_ns] : record.data_resets) add(node, at_ns);
  for (const auto& [node, at_ns] : record.declared_failed) add(node, at_ns);
  return failed;
}

std::string describe_failures(const std::set<std::pair<int, std::string>>& failed) {
  if (failed.empty()) return "none";
  std::string text;
  for (const auto& [node, shard] : failed) {
    text += fmt::format("{}n{} (shard {})", text.empty() ? "" : ", ", node, short_id(shard));
  }
  return text;
}

// The latest-invoked confirmed write of the key whose WAIT returned before `read` began.
const Op* confirmed_before(const std::vector<const Op*>& confirmed, const Op& read) {
  const Op* latest = nullptr;
  for (const Op* write : confirmed) {
    if (write->wait_complete_ns < read.invoke_ns &&
        (latest == nullptr || write->invoke_ns > latest->invoke_ns)) {
      latest = write;
    }
  }
  return latest;
}

struct KeyOps {
  KeyIndex index;
  std::vector<size_t> observations;
  std::vector<const Op*> confirmed;
};

std::map<std::string, KeyOps> index_register_keys(const CheckInput& input,
                                                  const ReadsFrom& reads_from) {
  std::map<std::string, KeyOps> keys;
  const auto& ops = input.history.ops;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (is_counter(ops[i].kind)) continue;
    auto [entry, added] = keys.try_emplace(ops[i].key, KeyOps{{input, reads_from, -1}, {}, {}});
    entry->second.index.add(i);
    const bool hit = ops[i].kind == OpKind::get && ops[i].succeeded() && found_value(ops[i]);
    if (hit || found_absent(ops[i])) entry->second.observations.push_back(i);
    if (ops[i].kind == OpKind::set && ops[i].succeeded() && ops[i].wait_confirmed()) {
      entry->second.confirmed.push_back(&ops[i]);
    }
  }
  for (auto& [name, key] : keys) key.index.finish();
  return keys;
}

}  // namespace

CheckResult check_wait_confirmed_kept(const CheckInput& input, const ClusterRecord& record,
                                      const ReadsFrom& reads_from) {
  CheckResult result{"wait_confirmed_kept"};
  uint64_t confirmed = 0;
  uint64_t judged = 0;
  uint64_t excused = 0;
  std::set<uint64_t> reported;
  for (auto& [name, key] : index_register_keys(input, reads_from)) {
    confirmed += key.confirmed.size();
    if (key.confirmed.empty()) continue;
    const uint16_t slot = cluster::key_slot(name);
    for (size_t i : key.observations) {
      const Op& read = input.history.ops[i];
      const Op* write = confirmed_before(key.confirmed, read);
      if (write == nullptr) continue;
      ++judged;
      if (read_explained(input, key.index, i, write->invoke_ns)) continue;
      std::set<std::string> shards = holders(record, slot, write->invoke_ns, read.complete_ns);
      shards.insert(shard_at(record, write->node, write->complete_ns));
      const auto failed = failures(input, record, shards, write->invoke_ns, read.complete_ns);
      if (failed.size() >= 2) {
        ++excused;
        continue;
      }
      if (!reported.insert(write->id).second) continue;
      result.fail(fmt::format(
          "key {} (slot {}): the write {} was confirmed by WAIT and lost: the read {} missed it; "
          "nodes of its shard(s) that lost their data in between: {}",
          name, slot, write->describe(), read.describe(), describe_failures(failed)));
    }
  }
  result.counts = {{"confirmed_writes", confirmed},
                   {"reads_after_confirmed", judged},
                   {"losses_after_two_failures", excused}};
  return result;
}

namespace {

void check_final_shards(const ClusterRecord& record, CheckResult& result) {
  std::map<std::string, std::vector<int>> primaries;  // accepting writes, by shard
  std::map<std::string, std::vector<int>> replicas;
  for (size_t i = 0; i < record.final_nodes.size(); ++i) {
    const FinalNode& node = record.final_nodes[i];
    if (!node.up || !node.member) continue;
    if (node.primary && node.accepts_writes) primaries[node.shard].push_back(static_cast<int>(i));
    if (!node.primary) replicas[node.shard].push_back(static_cast<int>(i));
  }
  for (const auto& [shard, nodes] : replicas) {
    auto primary = primaries.find(shard);
    if (primary == primaries.end() || primary->second.size() != 1) {
      result.fail(fmt::format("shard {} of replica n{} has {} primar(ies) accepting writes at "
                              "the end",
                              short_id(shard), nodes.front(),
                              primary == primaries.end() ? 0 : primary->second.size()));
      continue;
    }
    const FinalNode& lead = record.final_nodes[static_cast<size_t>(primary->second.front())];
    for (int index : nodes) {
      const FinalNode& node = record.final_nodes[static_cast<size_t>(index)];
      if (node.digest == lead.digest) continue;
      result.fail(fmt::format(
          "replica n{} of shard {} did not converge to its primary n{}: {} key(s) at offset {} "
          "against {} key(s) at offset {} (keyspace digests differ)",
          index, short_id(shard), primary->second.front(), node.keys, node.repl_offset,
          lead.keys, lead.repl_offset));
    }
  }
}

}  // namespace

CheckResult check_replica_convergence(const ClusterRecord& record) {
  CheckResult result{"replica_convergence"};
  check_final_shards(record, result);
  const int64_t bound_ns = failover_promotion_node_timeouts * record.node_timeout_ns;
  int64_t declared_max_ns = 0;
  int64_t unserved_max_ns = 0;
  int64_t declared_total_ns = 0;
  uint64_t declared = 0;
  for (const Promotion& promotion : record.promotions) {
    unserved_max_ns = std::max(unserved_max_ns, promotion.accepted_ns - promotion.unserved_since_ns);
    if (promotion.declared_ns < 0) continue;
    const int64_t took = promotion.accepted_ns - promotion.declared_ns;
    ++declared;
    declared_total_ns += took;
    declared_max_ns = std::max(declared_max_ns, took);
    if (took > bound_ns) {
      result.fail(fmt::format("shard {}: n{} accepted writes as its new primary at {}, {} after "
                              "its old primary was first held failed (bound {})",
                              short_id(promotion.shard), promotion.node,
                              format_time(promotion.accepted_ns), format_time(took),
                              format_time(bound_ns)));
    }
  }
  // Sweeps add counts up, but for names ending in _max (cli.h add_counts): the mean promotion
  // time is promotion_after_failed_ms_total / promotions_after_failed.
  result.counts = {
      {"replicas", 0},
      {"promotions", record.promotions.size()},
      {"promotions_after_failed", declared},
      {"promotion_after_failed_ms_total", static_cast<uint64_t>(declared_total_ns / ns_per_ms)},
      {"promotion_after_failed_ms_max", static_cast<uint64_t>(declared_max_ns / ns_per_ms)},
      {"shard_without_primary_ms_max", static_cast<uint64_t>(unserved_max_ns / ns_per_ms)}};
  for (const FinalNode& node : record.final_nodes) {
    if (node.up && node.member && !node.primary) ++result.counts[0].second;
  }
  return result;
}

}  // namespace ringcache::sim
