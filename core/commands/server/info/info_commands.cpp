// INFO commandstats, errorstats and latencystats: per-command calls and durations, error replies
// by kind. Durations come from the same histograms /metrics exposes.

#include <array>

#include "core/commands/server/info/info_text.h"

namespace ringcache::commands::info {
namespace {

void commandstats_line(const CommandSpec& spec, InfoText& info) {
  if (spec.stats.calls == 0 && spec.stats.rejected_calls == 0) return;
  const uint64_t usec = spec.stats.duration.sum_ns() / 1000;
  const double per_call = spec.stats.calls == 0
                              ? 0.0
                              : static_cast<double>(usec) / static_cast<double>(spec.stats.calls);
  info.field(fmt::format("cmdstat_{}", spec.name),
             fmt::format("calls={},usec={},usec_per_call={:.2f},rejected_calls={},failed_calls={}",
                         spec.stats.calls, usec, per_call, spec.stats.rejected_calls,
                         spec.stats.failed_calls));
}

// The upper bound (in microseconds) of the bucket that holds the `per_mille`th call: the
// histogram's buckets are coarse, so this is an upper estimate of the percentile.
double percentile_us(const metrics::DurationHistogram& histogram, uint64_t per_mille) {
  const uint64_t rank = (histogram.count() * per_mille + 999) / 1000;
  uint64_t seen = 0;
  for (size_t i = 0; i < metrics::duration_buckets.size(); ++i) {
    seen += histogram.bucket_count(i);
    if (seen >= rank) return static_cast<double>(metrics::duration_buckets[i].upper_bound_ns) / 1e3;
  }
  return static_cast<double>(metrics::duration_buckets.back().upper_bound_ns) / 1e3;
}

void latencystats_line(const CommandSpec& spec, InfoText& info) {
  const metrics::DurationHistogram& histogram = spec.stats.duration;
  if (histogram.count() == 0) return;
  info.field(fmt::format("latency_percentiles_usec_{}", spec.name),
             fmt::format("p50={:.3f},p99={:.3f},p99.9={:.3f}", percentile_us(histogram, 500),
                         percentile_us(histogram, 990), percentile_us(histogram, 999)));
}

void for_each_command(server::Server& server, void (*line)(const CommandSpec&, InfoText&),
                      InfoText& info) {
  for (const CommandSpec* spec : server.commands().all()) {
    line(*spec, info);
    for (const CommandSpec& sub : spec->subcommands) line(sub, info);
  }
}

}  // namespace

void commandstats_section(server::Server& server, InfoText& info) {
  info.section("Commandstats");
  for_each_command(server, commandstats_line, info);
}

void errorstats_section(server::Server& server, InfoText& info) {
  info.section("Errorstats");
  for (const auto& [kind, count] : server.stats().error_replies_by_kind) {
    info.field(fmt::format("errorstat_{}", kind), fmt::format("count={}", count));
  }
}

void latencystats_section(server::Server& server, InfoText& info) {
  info.section("Latencystats");
  for_each_command(server, latencystats_line, info);
}

}  // namespace ringcache::commands::info
