#pragma once
// What the simulated clients saw: every operation with its invocation and completion in true
// virtual time and the reply, plus the node events (crash, restart) checkers need. Checkers read
// only this and the nodes' final states, never the workload's internals.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "runtime/sim/workload/resp.h"

namespace ringcache::sim {

// script_incr: EVAL of a script that INCRs its key twice, replying the second INCR's value. A
// script is atomic, so its counter moves by two or not at all, crashes included: an odd value
// is half a script surviving.
enum class OpKind { set, get, del, incr, expire, pexpire, script_incr };
const char* op_name(OpKind kind);
// Counters (INCR and the script's double INCR) and how far one operation moves them.
inline bool is_counter(OpKind kind) { return kind == OpKind::incr || kind == OpKind::script_incr; }
inline int64_t counter_delta(OpKind kind) { return kind == OpKind::script_incr ? 2 : 1; }

// A completion time for operations whose outcome is unknown (timed out, connection lost): they
// may take effect at any time after their invocation.
inline constexpr int64_t never_ns = std::numeric_limits<int64_t>::max();

struct Op {
  uint64_t id = 0;
  int client = 0;
  int node = 0;  // index of the node that answered (or was last sent it, when none did)
  int redirects = 0;  // cluster mode: redirects and retries before that answer
  // Cluster mode: the node whose -ASK sent the answered attempt to `node` (with ASKING), or -1.
  int asked_by = -1;
  OpKind kind = OpKind::get;
  std::string key;
  std::string value;   // SET
  int64_t ttl_ms = 0;  // SET ... PX ttl_ms (0: none), EXPIRE (in ms), PEXPIRE
  int64_t invoke_ns = 0;
  int64_t complete_ns = never_ns;
  std::optional<RespValue> reply;  // nullopt: unknown outcome
  bool liveness_phase = false;
  // A SET acknowledged and then followed by `WAIT 1 <timeout>` on the same connection: how many
  // replicas WAIT said had it (-1: no WAIT asked, or no answer) and when WAIT returned.
  int64_t wait_acked = -1;
  int64_t wait_complete_ns = never_ns;

  bool completed() const { return reply.has_value(); }
  // Completed without an error reply.
  bool succeeded() const { return reply && !reply->is_error(); }
  // A write a replica had applied, by WAIT's answer (docs/replication.md: it survives its
  // primary's loss when that replica is promoted).
  bool wait_confirmed() const { return wait_acked >= 1; }
  // "c1 SET k3 v1.7 PX 500 -> +OK [1.2s, 1.3s]"
  std::string describe() const;
};

struct NodeEvent {
  enum class Kind { crash, restart, wipe };
  Kind kind;
  int node;
  int64_t at_ns;
};

struct History {
  std::vector<Op> ops;                 // in invocation order
  std::vector<NodeEvent> node_events;  // in time order
};

}  // namespace ringcache::sim
