#pragma once
// Hand-made histories for the checkers' tests: operations and node events at whole milliseconds
// of virtual time.

#include <cstdint>
#include <optional>
#include <string>

#include "runtime/sim/workload/history.h"

namespace ringcache::sim {

class HistoryBuilder {
 protected:
  static constexpr int64_t ms = 1'000'000;

  History history;

  // An operation from `from_ms` to `to_ms` (clients take turns); without a reply its outcome is
  // unknown and it never completes.
  Op& add(OpKind kind, std::string key, int64_t from_ms, int64_t to_ms,
          std::optional<RespValue> reply, std::string value = "", int64_t ttl_ms = 0) {
    Op op;
    op.id = history.ops.size();
    op.client = static_cast<int>(op.id % 4);
    op.kind = kind;
    op.key = std::move(key);
    op.value = std::move(value);
    op.ttl_ms = ttl_ms;
    op.invoke_ns = from_ms * ms;
    op.complete_ns = reply ? to_ms * ms : never_ns;
    op.reply = std::move(reply);
    history.ops.push_back(op);
    return history.ops.back();
  }
  void event(NodeEvent::Kind kind, int64_t at_ms, int node = 0) {
    history.node_events.push_back({kind, node, at_ms * ms});
  }
};

}  // namespace ringcache::sim
