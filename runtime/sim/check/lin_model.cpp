#include "runtime/sim/check/lin_model.h"

namespace ringcache::sim::lin {
namespace {

// Expiry is compared in whole milliseconds on both sides; allow one either way.
constexpr int64_t slack_ms = 1;

bool definitely_expired(const State& state, const Step& step) {
  return state.expire_hi_ms != no_expiry && step.wall.lo_ms > state.expire_hi_ms + slack_ms;
}
bool maybe_expired(const State& state, const Step& step) {
  return state.expire_lo_ms != no_expiry && step.wall.hi_ms + slack_ms >= state.expire_lo_ms;
}
bool maybe_present(const State& state, const Step& step) {
  return state.value >= 0 && !definitely_expired(state, step);
}
bool maybe_absent(const State& state, const Step& step, bool may_evict) {
  return state.value < 0 || maybe_expired(state, step) || may_evict;
}

State expiring(int64_t value, const Step& step) {
  if (step.ttl_ms <= 0) return State{value, no_expiry, no_expiry};
  return State{value, step.wall.lo_ms + step.ttl_ms, step.wall.hi_ms + step.ttl_ms};
}

std::vector<State> expire_step(const State& state, const Step& step, bool may_evict) {
  std::vector<State> out;
  const bool present = maybe_present(state, step);
  const bool absent = maybe_absent(state, step, may_evict);
  const bool may_one = step.outcome == Outcome::one || step.outcome == Outcome::unknown;
  const bool may_zero = step.outcome == Outcome::zero || step.outcome == Outcome::unknown;
  if (may_one && present) out.push_back(expiring(state.value, step));
  if (may_zero && absent) out.push_back(State{});
  return out;
}

std::vector<State> register_step(const State& state, const Step& step, bool may_evict) {
  switch (step.kind) {
    case Kind::set: return {expiring(step.value, step)};
    case Kind::get:
      if (step.outcome == Outcome::hit) {
        if (state.value == step.value && !definitely_expired(state, step)) return {state};
        return {};
      }
      if (maybe_absent(state, step, may_evict)) return {State{}};
      return {};
    case Kind::del:
      if (step.outcome == Outcome::one && !maybe_present(state, step)) return {};
      if (step.outcome == Outcome::zero && !maybe_absent(state, step, may_evict)) return {};
      return {State{}};
    case Kind::expire: return expire_step(state, step, may_evict);
    case Kind::wipe: return {State{}};
    case Kind::incr: return {};
  }
  return {};
}

std::vector<State> counter_step(const State& state, const Step& step, bool may_evict) {
  const int64_t current = state.value < 0 ? 0 : state.value;
  if (step.kind == Kind::wipe) return {State{}};
  if (step.outcome == Outcome::unknown) return {State{current + 1}};
  if (step.number == current + 1 || (may_evict && step.number == 1)) return {State{step.number}};
  return {};
}

}  // namespace

std::vector<State> next_states(const State& state, const Step& step, bool may_evict) {
  // A wipe empties either kind of key: State{} is "absent" and a counter at 0.
  if (step.kind == Kind::incr) return counter_step(state, step, may_evict);
  return register_step(state, step, may_evict);
}

}  // namespace ringcache::sim::lin
