#include "runtime/sim/check/lost_writes.h"

#include <algorithm>
#include <vector>

#include "core/cluster/key_slot.h"
#include "runtime/sim/time_units.h"

namespace ringcache::sim {

// Whether a TTL set by `op` may have run out by `by_ns`, on any node's clock: the key may have
// been on any of them since, and in a cluster it may have got there with its deadline brought
// forward (moved with what remained onto a clock that lags, then judged on one that leads:
// least_travel_shift_ms through the nodes that served its slot).
bool may_have_expired(const CheckInput& input, const Op& op, int64_t by_ns) {
  if (op.ttl_ms <= 0) return false;
  const int64_t deadline_ms = op_wall_window(input, op).lo_ms + op.ttl_ms;
  std::vector<int> holders;
  if (input.cluster != nullptr) {
    holders = slot_holders(input, cluster::key_slot(op.key), op.invoke_ns, by_ns);
  }
  for (size_t node = 0; node < input.clocks.size(); ++node) {
    const int n = static_cast<int>(node);
    int64_t shift = 0;
    if (input.cluster != nullptr) {
      const KeyTravel travel{op.node, n, holders, input.replicas};
      shift = std::min<int64_t>(0, least_travel_shift_ms(input, travel, op.invoke_ns, by_ns));
    }
    const int64_t peak = wall_peak_ms(input, n, op.invoke_ns, by_ns);
    if (peak + expiry_slack_ms >= deadline_ms + shift) return true;
  }
  return false;
}

// A GET that found a value, or an operation that found the key absent: a GET miss, or a DEL,
// EXPIRE or PEXPIRE that answered 0.
bool found_value(const Op& read) { return read.reply->type == RespValue::Type::bulk; }
bool found_absent(const Op& op) {
  if (!op.succeeded()) return false;
  if (op.kind == OpKind::get) return op.reply->type == RespValue::Type::null;
  return op.kind != OpKind::set && !is_counter(op.kind) && op.reply->integer == 0;
}

// Whether what `read` saw is one of the states the writes in force allow (a model far looser
// than linearizability's: only a lost write is looked for here).
bool read_explained(const CheckInput& input, const KeyIndex& key, size_t read_index,
                    int64_t horizon) {
  const Op& read = input.history.ops[read_index];
  const std::vector<const Op*> current = key.current(read, horizon);
  if (found_value(read)) {
    const Op* source = key.set_read_by(read_index);
    if (source == nullptr) return true;  // a value nobody wrote: linearizability reports it
    return std::find(current.begin(), current.end(), source) != current.end();
  }
  if (input.may_evict) return true;
  for (const Op* op : current) {
    if (op == &read) continue;  // a DEL that found nothing is the observation, not its cause
    if (op->kind == OpKind::del) return true;
    if (may_have_expired(input, *op, read.complete_ns)) return true;
  }
  return false;
}

bool read_explained(const CheckInput& input, const KeyIndex& key, size_t read_index) {
  return read_explained(input, key, read_index, key.horizon(input.history.ops[read_index]));
}

// The write a read missed: the latest-invoked one acknowledged before the read began.
const Op* lost_write(const KeyIndex& key, const Op& read) {
  const int64_t horizon = key.horizon(read);
  for (const Op* op : key.current(read)) {
    const bool write = op->kind == OpKind::set || op->kind == OpKind::del;
    if (write && op->completed() && op->complete_ns < read.invoke_ns && op->invoke_ns == horizon) {
      return op;
    }
  }
  return nullptr;
}

}  // namespace ringcache::sim
