#include "runtime/sim/fault/fault_plan.h"

#include <fmt/format.h>

#include <algorithm>

#include "runtime/sim/trace.h"

namespace ringcache::sim {
namespace {
constexpr int64_t ms_ns = 1'000'000;
constexpr double swarm_default_rate = 0.2;

FaultEvent draw_event(const std::string& kind, int64_t at_ns, int nodes, const FaultLimits& limits,
                      Rng& rng) {
  FaultEvent event;
  event.at_ns = at_ns;
  event.kind = kind;
  event.node = static_cast<int>(rng.below(static_cast<uint64_t>(nodes)));
  event.duration_ns = rng.between(limits.duration_ms_min, limits.duration_ms_max) * ms_ns;
  event.pick = rng.next_u64() >> 1;  // fits a TOML integer
  if (kind == fault_kind::clock_jump) {
    event.amount = rng.between(-limits.clock_jump_ms_max, limits.clock_jump_ms_max) * 1000;
  } else if (kind == fault_kind::clock_drift) {
    event.amount = rng.between(-limits.drift_ppm_max, limits.drift_ppm_max);
  }
  return event;
}

std::map<std::string, double> swarm_rates(const std::map<std::string, double>& base, Rng& rng) {
  std::map<std::string, double> rates;
  for (const std::string& kind : fault_kinds()) {
    if (!rng.chance(0.5)) continue;
    auto given = base.find(kind);
    const double rate =
        given != base.end() && given->second > 0 ? given->second : swarm_default_rate;
    rates[kind] = rate * (0.25 + 1.75 * rng.unit());
  }
  return rates;
}
}  // namespace

const std::vector<std::string>& fault_kinds() {
  static const std::vector<std::string> kinds = [] {
    std::vector<std::string> all = {
        fault_kind::crash,      fault_kind::wipe,       fault_kind::pause, fault_kind::partition,
        fault_kind::one_way,    fault_kind::isolate,    fault_kind::clog,  fault_kind::reset,
        fault_kind::clock_jump, fault_kind::clock_drift};
    std::sort(all.begin(), all.end());
    return all;
  }();
  return kinds;
}

FaultPlan make_fault_plan(const FaultPlanOptions& options, int nodes, int64_t until_ns, Rng& rng) {
  FaultPlan plan;
  plan.rates = options.swarm ? swarm_rates(options.rates, rng) : options.rates;
  plan.events = options.schedule;
  for (const auto& [kind, rate] : plan.rates) {
    if (rate <= 0) continue;
    const auto mean_gap_ns = static_cast<int64_t>(1e9 / rate);
    for (int64_t at = rng.between(0, 2 * mean_gap_ns); at < until_ns;
         at += rng.between(1, 2 * mean_gap_ns)) {
      plan.events.push_back(draw_event(kind, at, nodes, options.limits, rng));
    }
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
  return text + fmt::format(" for {}ms", event.duration_ns / ms_ns);
}

}  // namespace ringcache::sim
