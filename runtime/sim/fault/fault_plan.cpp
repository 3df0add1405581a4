#include "runtime/sim/fault/fault_plan.h"

#include <fmt/format.h>

#include <algorithm>

#include "runtime/sim/run_digest.h"
#include "runtime/sim/time_units.h"

namespace ringcache::sim {
namespace {
constexpr double swarm_default_rate = 0.2;

FaultEvent draw_event(const std::string& kind, int64_t at_ns, int nodes, const FaultLimits& limits,
                      Rng& rng) {
  FaultEvent event;
  event.at_ns = at_ns;
  event.kind = kind;
  event.node = static_cast<int>(rng.below(static_cast<uint64_t>(nodes)));
  event.duration_ns = rng.between(limits.duration_ms_min, limits.duration_ms_max) * ns_per_ms;
  event.pick = rng.next_u64() >> 1;  // fits a TOML integer
  if (kind == fault_kind::clock_jump) {
    event.amount = rng.between(-limits.clock_jump_ms_max, limits.clock_jump_ms_max) * 1000;
  } else if (kind == fault_kind::clock_drift) {
    event.amount = rng.between(-limits.drift_ppm_max, limits.drift_ppm_max);
  }
  return event;
}

// Swarm: whether a kind is on and at what rate.
void swarm_rate(const std::map<std::string, double>& base, const std::string& kind, Rng& rng,
                std::map<std::string, double>& rates) {
  if (!rng.chance(0.5)) return;
  auto given = base.find(kind);
  const double rate = given != base.end() && given->second > 0 ? given->second : swarm_default_rate;
  rates[kind] = rate * (0.25 + 1.75 * rng.unit());
}

// A late kind's own generator: forked from the plan generator's state at the start, without
// advancing it, and from the kind's name.
Rng late_kind_rng(const Rng& start, const std::string& kind) {
  Rng copy = start;
  uint64_t salt = 0xcbf29ce484222325ULL;
  for (const char c : kind) salt = (salt ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return Rng(copy.fork_seed() ^ salt);
}

void draw_events(const std::string& kind, double rate, const FaultPlanOptions& options, int nodes,
                 int64_t until_ns, Rng& rng, std::vector<FaultEvent>& events) {
  if (rate <= 0) return;
  const auto mean_gap_ns = static_cast<int64_t>(1e9 / rate);
  for (int64_t at = rng.between(0, 2 * mean_gap_ns); at < until_ns;
       at += rng.between(1, 2 * mean_gap_ns)) {
    events.push_back(draw_event(kind, at, nodes, options.limits, rng));
  }
}
}  // namespace

const std::vector<std::string>& fault_kinds() {
  static const std::vector<std::string> kinds = [] {
    std::vector<std::string> all = {fault_kind::crash,
                                    fault_kind::wipe,
                                    fault_kind::pause,
                                    fault_kind::partition,
                                    fault_kind::one_way,
                                    fault_kind::isolate,
                                    fault_kind::clog,
                                    fault_kind::reset,
                                    fault_kind::clock_jump,
                                    fault_kind::clock_drift,
                                    fault_kind::isolate_primaries};
    std::sort(all.begin(), all.end());
    return all;
  }();
  return kinds;
}

bool late_fault_kind(const std::string& kind) { return kind == fault_kind::isolate_primaries; }

FaultPlan make_fault_plan(const FaultPlanOptions& options, int nodes, int64_t until_ns, Rng& rng) {
  const Rng start = rng;
  std::map<std::string, Rng> late_rngs;
  for (const std::string& kind : fault_kinds()) {
    if (late_fault_kind(kind)) late_rngs.emplace(kind, late_kind_rng(start, kind));
  }
  FaultPlan plan;
  if (options.swarm) {
    for (const std::string& kind : fault_kinds()) {
      if (!late_fault_kind(kind)) swarm_rate(options.rates, kind, rng, plan.rates);
    }
    for (auto& [kind, own] : late_rngs) swarm_rate(options.rates, kind, own, plan.rates);
  } else {
    plan.rates = options.rates;
  }
  plan.events = options.schedule;
  for (const auto& [kind, rate] : plan.rates) {
    auto late = late_rngs.find(kind);
    Rng& draw = late == late_rngs.end() ? rng : late->second;
    draw_events(kind, rate, options, nodes, until_ns, draw, plan.events);
  }
  std::stable_sort(plan.events.begin(), plan.events.end(),
                   [](const FaultEvent& a, const FaultEvent& b) { return a.at_ns < b.at_ns; });
  return plan;
}

std::string describe(const FaultEvent& event) {
  std::string text = fmt::format("{} {} n{}", format_time(event.at_ns), event.kind, event.node);
  if (event.kind == fault_kind::clock_jump)
    return text + fmt::format(" by {}ms", event.amount / 1000);
  if (event.kind == fault_kind::clock_drift) return text + fmt::format(" to {}ppm", event.amount);
  if (event.kind == fault_kind::reset || event.kind == fault_kind::wipe) return text;
  if (event.kind == fault_kind::isolate_primaries) {  // hits every primary, not one node
    return fmt::format("{} {} for {}ms", format_time(event.at_ns), event.kind,
                       event.duration_ns / ns_per_ms);
  }
  return text + fmt::format(" for {}ms", event.duration_ns / ns_per_ms);
}

}  // namespace ringcache::sim
