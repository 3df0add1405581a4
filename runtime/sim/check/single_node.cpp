#include "runtime/sim/check/single_node.h"

#include <map>

#include <fmt/format.h>

namespace ringcache::sim {
namespace {

constexpr int64_t slack_ms = 1;  // expiry is compared in whole milliseconds

// One key's operations on one node, indexes into History::ops, plus its node's crash times.
struct KeyOps {
  std::vector<size_t> writes;   // SET, DEL that were not refused
  std::vector<size_t> expires;  // EXPIRE, PEXPIRE that may have applied (reply 1 or unknown)
  std::vector<size_t> reads;    // GET with a reply
};

using Keys = std::map<std::pair<int, std::string>, KeyOps>;

Keys group(const History& history) {
  Keys keys;
  for (size_t i = 0; i < history.ops.size(); ++i) {
    const Op& op = history.ops[i];
    if (op.reply && op.reply->is_error()) continue;
    KeyOps& key = keys[{op.node, op.key}];
    switch (op.kind) {
      case OpKind::set:
      case OpKind::del: key.writes.push_back(i); break;
      case OpKind::expire:
      case OpKind::pexpire:
        if (!op.reply || op.reply->integer == 1) key.expires.push_back(i);
        break;
      case OpKind::get:
        if (op.reply) key.reads.push_back(i);
        break;
      case OpKind::incr: break;
    }
  }
  return keys;
}

// A write is superseded for `read` when another write, acknowledged before the read began,
// started after it ended; a crash acts as such a write at its time.
bool superseded(const CheckInput& input, const KeyOps& key, const Op& write, const Op& read) {
  for (size_t other : key.writes) {
    const Op& later = input.history.ops[other];
    if (later.completed() && later.invoke_ns > write.complete_ns &&
        later.complete_ns < read.invoke_ns) {
      return true;
    }
  }
  if (!input.restarts_lose_data) return false;
  for (const NodeEvent& event : input.history.node_events) {
    if (event.kind == NodeEvent::Kind::crash && event.node == write.node &&
        event.at_ns > write.complete_ns && event.at_ns < read.invoke_ns) {
      return true;
    }
  }
  return false;
}

// A crash before the read with no acknowledged SET after it: the node may have nothing.
bool crash_is_current(const CheckInput& input, const KeyOps& key, const Op& read) {
  if (!input.restarts_lose_data) return false;
  for (const NodeEvent& event : input.history.node_events) {
    if (event.kind != NodeEvent::Kind::crash || event.node != read.node ||
        event.at_ns >= read.complete_ns) {
      continue;
    }
    bool rewritten = false;
    for (size_t i : key.writes) {
      const Op& write = input.history.ops[i];
      rewritten = rewritten || (write.kind == OpKind::set && write.completed() &&
                                write.invoke_ns > event.at_ns && write.complete_ns < read.invoke_ns);
    }
    if (!rewritten) return true;
  }
  return false;
}

// Whether some TTL on the key may have run out by the time `read` ran.
bool may_have_expired(const CheckInput& input, const KeyOps& key, const Op& read) {
  auto ran_out = [&](const Op& op) {
    if (op.ttl_ms <= 0 || op.invoke_ns >= read.complete_ns) return false;
    const int64_t peak = wall_peak_ms(input, read.node, op.invoke_ns, read.complete_ns);
    return peak + slack_ms >= op_wall_window(input, op).lo_ms + op.ttl_ms;
  };
  for (size_t i : key.writes) {
    if (input.history.ops[i].kind == OpKind::set && ran_out(input.history.ops[i])) return true;
  }
  for (size_t i : key.expires) {
    if (ran_out(input.history.ops[i])) return true;
  }
  return false;
}

// Whether `read`'s miss is explained: a current delete or crash, no write yet, expiry, eviction.
bool miss_explained(const CheckInput& input, const KeyOps& key, const Op& read) {
  if (input.may_evict || may_have_expired(input, key, read)) return true;
  if (crash_is_current(input, key, read)) return true;
  bool any_set_before = false;
  for (size_t i : key.writes) {
    const Op& write = input.history.ops[i];
    if (write.invoke_ns >= read.complete_ns) continue;
    if (write.kind == OpKind::del && !superseded(input, key, write, read)) return true;
    if (write.kind == OpKind::set && write.completed() && write.complete_ns < read.invoke_ns) {
      any_set_before = true;
    }
  }
  return !any_set_before;
}

std::optional<std::string> judge_read(const CheckInput& input, const KeyOps& key, const Op& read) {
  if (read.reply->type != RespValue::Type::bulk) {
    if (miss_explained(input, key, read)) return std::nullopt;
    return "a miss although the key was written and neither deleted, expired nor evicted";
  }
  for (size_t i : key.writes) {
    const Op& write = input.history.ops[i];
    if (write.kind != OpKind::set || write.value != read.reply->text) continue;
    if (write.invoke_ns > read.complete_ns) return "a value written only after the read";
    if (superseded(input, key, write, read)) {
      return "a stale value: a later write was acknowledged before the read began";
    }
    return std::nullopt;
  }
  return "a value nobody wrote";
}

}  // namespace

CheckResult check_stale_reads(const CheckInput& input) {
  CheckResult result{"stale_read"};
  for (const auto& [id, key] : group(input.history)) {
    for (size_t i : key.reads) {
      const Op& read = input.history.ops[i];
      if (auto problem = judge_read(input, key, read)) {
        result.fail(fmt::format("{}: {}", read.describe(), *problem));
      }
    }
  }
  return result;
}

CheckResult check_expiry(const CheckInput& input) {
  CheckResult result{"expiry"};
  for (const auto& [id, key] : group(input.history)) {
    for (size_t r : key.reads) {
      const Op& read = input.history.ops[r];
      if (read.reply->type != RespValue::Type::bulk) continue;
      for (size_t w : key.writes) {
        const Op& write = input.history.ops[w];
        if (write.kind != OpKind::set || write.value != read.reply->text || write.ttl_ms == 0) {
          continue;
        }
        // The latest this value may expire: its own TTL, or one an EXPIRE gave it later.
        int64_t deadline_ms = op_wall_window(input, write).hi_ms + write.ttl_ms;
        for (size_t e : key.expires) {
          const Op& expire = input.history.ops[e];
          if (expire.invoke_ns < read.complete_ns && expire.complete_ns > write.invoke_ns) {
            deadline_ms =
                std::max(deadline_ms, op_wall_window(input, expire).hi_ms + expire.ttl_ms);
          }
        }
        const WallWindow read_wall = op_wall_window(input, read);
        if (read_wall.lo_ms > deadline_ms + slack_ms) {
          result.fail(fmt::format("{}: returned {}ms after it expired at node time {}",
                                  read.describe(), read_wall.lo_ms - deadline_ms, deadline_ms));
        }
      }
    }
  }
  return result;
}

}  // namespace ringcache::sim
