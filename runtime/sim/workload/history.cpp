#include "runtime/sim/workload/history.h"

#include <fmt/format.h>

#include "runtime/sim/run_digest.h"

namespace ringcache::sim {

const char* op_name(OpKind kind) {
  switch (kind) {
    case OpKind::set:
      return "SET";
    case OpKind::get:
      return "GET";
    case OpKind::del:
      return "DEL";
    case OpKind::incr:
      return "INCR";
    case OpKind::expire:
      return "EXPIRE";
    case OpKind::pexpire:
      return "PEXPIRE";
    case OpKind::script_incr:
      return "EVAL(INCR,INCR)";
  }
  return "?";
}

std::string Op::describe() const {
  std::string call = fmt::format("c{} op{} {} {}", client, id, op_name(kind), key);
  if (kind == OpKind::set) call += " " + value + (ttl_ms ? fmt::format(" PX {}", ttl_ms) : "");
  if (kind == OpKind::expire || kind == OpKind::pexpire) call += fmt::format(" {}ms", ttl_ms);
  const std::string outcome = reply ? reply->describe() : "?";
  const std::string end = complete_ns == never_ns ? "never" : format_time(complete_ns);
  std::string hops = redirects > 0 ? fmt::format(" after {} redirect(s)", redirects) : "";
  if (asked_by >= 0) hops += fmt::format(" (asked by node {})", asked_by);
  if (wait_acked >= 0) {
    hops += fmt::format(", WAIT 1 -> {} at {}", wait_acked, format_time(wait_complete_ns));
  }
  return fmt::format("{} -> {} [{}, {}] node {}{}", call, outcome, format_time(invoke_ns), end, node,
                     hops);
}

}  // namespace ringcache::sim
