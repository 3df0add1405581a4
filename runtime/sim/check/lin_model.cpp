#include "runtime/sim/check/lin_model.h"

#include "runtime/sim/time_units.h"

namespace ringcache::sim::lin {
namespace {

// The step runs on the node's clock now: a lazy expiry check deletes the key. The deadline is
// on the clock of the node that set it; in a cluster the step may run on another, the key having
// travelled there through the nodes that served its slot (moved with the time that remained of
// its TTL, or with replicas promoted with the absolute deadline): expired for sure only if it is
// so however it travelled (ms_past_travelled_deadline).
bool definitely_expired(const ModelContext& context, const State& state, const Step& step) {
  if (state.expire_hi_ms == no_expiry) return false;
  const int setter = state.clock_node >= 0 ? state.clock_node : context.node;
  if (context.node >= 0 || setter < 0 || context.slot < 0) {
    return step.wall.lo_ms > state.expire_hi_ms + expiry_slack_ms;
  }
  // Not moved before the step is one of the ways ms_past_travelled_deadline weighs: when the
  // setter's clock had not reached the deadline then, nothing else need be computed.
  if (wall_window(context.input, setter, step.call_ns, step.call_ns).lo_ms <=
      state.expire_hi_ms + expiry_slack_ms) {
    return false;
  }
  const KeyTravel travel{setter, step.node,
                         slot_holders(context.input, static_cast<uint16_t>(context.slot),
                                      state.expiry_since_ns, step.call_ns),
                         context.input.replicas};
  return ms_past_travelled_deadline(context.input, travel, state.expire_hi_ms,
                                    state.expiry_since_ns, step.call_ns) > expiry_slack_ms;
}
// With replicas, the absolute deadline may have been reached on the clock of a node that
// served the key's slot since (a promoted replica whose clock runs ahead of the setter's).
bool may_be_past_on_a_holder(const ModelContext& context, const State& state, const Step& step) {
  if (!context.input.replicas || context.slot < 0) return false;
  for (int node : slot_holders(context.input, static_cast<uint16_t>(context.slot),
                               state.expiry_since_ns, step.return_ns)) {
    if (wall_peak_ms(context.input, node, state.expiry_since_ns, step.return_ns) +
            expiry_slack_ms >=
        state.expire_lo_ms) {
      return true;
    }
  }
  return false;
}

// The deadline may have been reached at some point since it was set: active expiry may have
// removed the key even if the clock has stepped back since.
bool maybe_expired(const ModelContext& context, const State& state, const Step& step) {
  if (state.expire_lo_ms == no_expiry) return false;
  const int node = state.clock_node >= 0 ? state.clock_node : context.node;
  const int64_t since = state.expiry_since_ns;
  const int64_t peak = wall_peak_ms(context.input, node, since, step.return_ns);
  if (peak + expiry_slack_ms >= state.expire_lo_ms) return true;
  if (context.node >= 0) return false;
  if (may_be_past_on_a_holder(context, state, step)) return true;
  // In a cluster the key may have moved with the time that remained of its TTL and run out on
  // its new holder's clock, which may have jumped ahead: has any node's clock counted the TTL?
  const int64_t ttl_ms = state.expire_lo_ms - wall_window(context.input, node, since, since).lo_ms;
  for (size_t other = 0; other < context.input.clocks.size(); ++other) {
    const int n = static_cast<int>(other);
    const int64_t from = wall_window(context.input, n, since, since).lo_ms;
    if (wall_peak_ms(context.input, n, since, step.return_ns) - from + expiry_slack_ms >= ttl_ms) {
      return true;
    }
  }
  return false;
}
bool maybe_present(const ModelContext& context, const State& state, const Step& step) {
  return state.value >= 0 && !definitely_expired(context, state, step);
}
bool maybe_absent(const ModelContext& context, const State& state, const Step& step) {
  return state.value < 0 || maybe_expired(context, state, step) || context.input.may_evict;
}

State expiring(int64_t value, const Step& step) {
  if (step.ttl_ms <= 0) return State{value, no_expiry, no_expiry, 0};
  return State{value, step.wall.lo_ms + step.ttl_ms, step.wall.hi_ms + step.ttl_ms, step.call_ns,
               step.node};
}

States expire_step(const ModelContext& context, const State& state, const Step& step) {
  States out;
  const bool present = maybe_present(context, state, step);
  const bool absent = maybe_absent(context, state, step);
  const bool may_one = step.outcome == Outcome::one || step.outcome == Outcome::unknown;
  const bool may_zero = step.outcome == Outcome::zero || step.outcome == Outcome::unknown;
  if (may_one && present) out.push_back(expiring(state.value, step));
  if (may_zero && absent) out.push_back(State{});
  return out;
}

States register_step(const ModelContext& context, const State& state,
                                 const Step& step) {
  switch (step.kind) {
    case Kind::set:
      return {expiring(step.value, step)};
    case Kind::get:
      if (step.outcome == Outcome::hit) {
        if (state.value == step.value && !definitely_expired(context, state, step)) return {state};
        return {};
      }
      if (maybe_absent(context, state, step)) return {State{}};
      return {};
    case Kind::del:
      if (step.outcome == Outcome::one && !maybe_present(context, state, step)) return {};
      if (step.outcome == Outcome::zero && !maybe_absent(context, state, step)) return {};
      return {State{}};
    case Kind::expire:
      return expire_step(context, state, step);
    case Kind::wipe:
      return {State{}};
    case Kind::maybe_wipe:
      if (state == State{}) return {state};
      return {State{}, state};
    case Kind::incr:
      return {};
  }
  return {};
}

States counter_step(const State& state, const Step& step, bool may_evict) {
  const int64_t current = state.value < 0 ? 0 : state.value;
  if (step.kind == Kind::wipe) return {State{}};
  if (step.outcome == Outcome::unknown) return {State{current + step.delta}};
  if (step.number == current + step.delta || (may_evict && step.number == step.delta)) {
    return {State{step.number}};
  }
  return {};
}

}  // namespace

States next_states(const ModelContext& context, const State& state, const Step& step) {
  // A wipe empties either kind of key: State{} is "absent" and a counter at 0.
  States out = step.kind == Kind::incr ? counter_step(state, step, context.input.may_evict)
                                       : register_step(context, state, step);
  // An operation whose reply never came may never have run. Left pending to the end, it says
  // so by taking effect last; when its node's crash ends its window, it must be linearized
  // before the crash, and in a cluster nothing may empty the key there (other nodes hold it by
  // then), so "no effect" has to be a choice of its own.
  if (step.op_index != SIZE_MAX && step.outcome == Outcome::unknown &&
      step.return_ns != never_ns && !out.contains(state)) {
    out.push_back(state);
  }
  return out;
}

}  // namespace ringcache::sim::lin
