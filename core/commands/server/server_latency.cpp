// LATENCY LATEST/HISTORY/RESET/HELP over the node's latency monitor, with Redis 7.0's replies;
// DOCTOR and GRAPH in words of their own; HISTOGRAM from the per-command duration histograms
// (the same ones /metrics exposes), so its buckets are those histograms' bounds, not Redis'
// powers of two.

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "core/commands/server/server_family.h"
#include "core/server/server.h"

namespace ringcache::commands {
namespace {

// LATENCY LATEST: [event, time of the latest sample, its latency ms, all-time max ms] per event.
void latency_latest(CommandContext& ctx) {
  const auto& events = ctx.server.latency_monitor().events();
  ctx.reply.array(events.size());
  for (const auto& [name, series] : events) {
    ctx.reply.array(4);
    ctx.reply.bulk(name);
    ctx.reply.integer(series.latest().unix_seconds);
    ctx.reply.integer(static_cast<int64_t>(series.latest().latency_ms));
    ctx.reply.integer(static_cast<int64_t>(series.max_ms()));
  }
}

// LATENCY HISTORY event: [time, latency ms] per sample, oldest first; empty for an unknown event.
void latency_history(CommandContext& ctx) {
  const metrics::LatencySeries* series = ctx.server.latency_monitor().find(ctx.argv[2]);
  if (series == nullptr) return ctx.reply.empty_array();
  size_t samples = 0;
  series->for_each([&](const metrics::LatencySample&) { ++samples; });
  ctx.reply.array(samples);
  series->for_each([&](const metrics::LatencySample& sample) {
    ctx.reply.array(2);
    ctx.reply.integer(sample.unix_seconds);
    ctx.reply.integer(static_cast<int64_t>(sample.latency_ms));
  });
}

// LATENCY RESET [event ...]: how many events were forgotten (all of them without arguments).
void latency_reset(CommandContext& ctx) {
  metrics::LatencyMonitor& monitor = ctx.server.latency_monitor();
  if (ctx.argv.size() == 2) return ctx.reply.integer(static_cast<int64_t>(monitor.reset_all()));
  size_t reset = 0;
  for (size_t i = 2; i < ctx.argv.size(); ++i) reset += monitor.reset(ctx.argv[i]);
  ctx.reply.integer(static_cast<int64_t>(reset));
}

// One command's entry of LATENCY HISTOGRAM: calls, then cumulative counts per bucket bound (usec)
// for the buckets that hold calls.
void histogram_entry(CommandContext& ctx, const CommandSpec& spec) {
  const metrics::DurationHistogram& histogram = spec.stats.duration;
  size_t used = 0;
  for (size_t i = 0; i <= metrics::duration_buckets.size(); ++i)
    used += histogram.bucket_count(i) != 0;
  ctx.reply.bulk(spec.name);
  ctx.reply.map(2);
  ctx.reply.bulk("calls");
  ctx.reply.integer(static_cast<int64_t>(histogram.count()));
  ctx.reply.bulk("histogram_usec");
  ctx.reply.map(used);
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= metrics::duration_buckets.size(); ++i) {
    if (histogram.bucket_count(i) == 0) continue;
    cumulative += histogram.bucket_count(i);
    const int64_t bound_ns = i < metrics::duration_buckets.size()
                                 ? metrics::duration_buckets[i].upper_bound_ns
                                 : metrics::duration_buckets.back().upper_bound_ns * 2;
    ctx.reply.integer(bound_ns / 1000);
    ctx.reply.integer(static_cast<int64_t>(cumulative));
  }
}

// LATENCY HISTOGRAM [command ...]: every command that ran, or the named ones (a container
// brings its subcommands; a name given twice is listed twice, as Redis does); unknown names are
// skipped.
void latency_histogram(CommandContext& ctx) {
  std::vector<const CommandSpec*> chosen;
  auto consider = [&](const CommandSpec& spec) {
    if (spec.stats.duration.count() != 0) chosen.push_back(&spec);
  };
  const CommandTable& table = ctx.server.commands();
  auto consider_tree = [&](const CommandSpec& spec) {
    consider(spec);
    for (const CommandSpec& sub : spec.subcommands) consider(sub);
  };
  if (ctx.argv.size() == 2) {
    for (const CommandSpec* spec : table.all()) consider_tree(*spec);
  }
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    const std::string_view name = ctx.argv[i];
    const size_t bar = name.find('|');
    const CommandSpec* spec = table.find(name.substr(0, bar));
    if (spec != nullptr && bar != std::string_view::npos) {
      spec = table.find_subcommand(*spec, name.substr(bar + 1));
    }
    if (spec != nullptr) consider_tree(*spec);
  }
  ctx.reply.map(chosen.size());
  for (const CommandSpec* spec : chosen) histogram_entry(ctx, *spec);
}

// LATENCY DOCTOR: a short report of the recorded events, in words of our own.
void latency_doctor(CommandContext& ctx) {
  const auto& events = ctx.server.latency_monitor().events();
  std::string text;
  if (events.empty()) {
    text = "No latency spike has been recorded since the node started (threshold: " +
           std::to_string(ctx.server.config().latency_monitor_threshold_ms) +
           " ms; 0 disables the monitor). Nothing to report.\n";
  }
  size_t n = 0;
  for (const auto& [name, series] : events) {
    size_t samples = 0;
    uint64_t total_ms = 0;
    series.for_each([&](const metrics::LatencySample& sample) {
      ++samples;
      total_ms += sample.latency_ms;
    });
    fmt::format_to(std::back_inserter(text),
                   "{}. {}: {} spikes recorded, average {} ms, worst {} ms, latest {} ms.\n", ++n,
                   name, samples, samples == 0 ? 0 : total_ms / samples, series.max_ms(),
                   series.latest().latency_ms);
  }
  ctx.reply.verbatim("txt", text);
}

// LATENCY GRAPH event: one bar per sample, oldest first, scaled to the worst sample.
void latency_graph(CommandContext& ctx) {
  const metrics::LatencySeries* series = ctx.server.latency_monitor().find(ctx.argv[2]);
  if (series == nullptr) {
    return ctx.reply.error(fmt::format("ERR No samples available for event '{}'", ctx.argv[2]));
  }
  constexpr uint64_t bar_width_max = 40;
  const int64_t now_s = ctx.server.runtime().wall_time_ms() / 1000;
  std::string text = fmt::format("{} - worst {} ms\n", ctx.argv[2], series->max_ms());
  series->for_each([&](const metrics::LatencySample& sample) {
    const uint64_t width =
        series->max_ms() == 0 ? 0 : sample.latency_ms * bar_width_max / series->max_ms();
    fmt::format_to(std::back_inserter(text), "{:>8}s ago {:>6} ms |{}\n",
                   now_s - sample.unix_seconds, sample.latency_ms, std::string(width, '#'));
  });
  ctx.reply.verbatim("txt", text);
}

void latency_help(CommandContext& ctx) {
  reply_help(ctx, "LATENCY",
             {"HISTORY <event>", "    Return time-latency samples for the <event> class.", "LATEST",
              "    Return the latest latency samples for all events.", "RESET [<event> ...]",
              "    Reset latency data of one or more <event> classes.",
              "    (default: reset all data for all event classes)", "DOCTOR",
              "    Return a report of the recorded latency events.", "GRAPH <event>",
              "    Return a text graph of the <event>'s samples.", "HISTOGRAM [<command> ...]",
              "    Return a cumulative histogram of the latency of the named commands",
              "    (default: every command that ran)."});
}

}  // namespace

void register_latency_commands(CommandTable& table) {
  const SpecBuilder admin = SpecBuilder::family("server", "@admin @slow @dangerous")
                                .flags(flag_admin | flag_noscript | flag_loading | flag_stale);
  table.add(container("latency", "server")
                .doc("A container for latency diagnostics commands", "2.8.13")
                .subcommands({
                    admin.command("latency|latest", 2, latency_latest)
                        .doc("Return the latest latency samples for all events", "2.8.13"),
                    admin.command("latency|history", 3, latency_history)
                        .doc("Return timestamp-latency samples for an event", "2.8.13"),
                    admin.command("latency|reset", -2, latency_reset)
                        .doc("Reset latency data for one or more events", "2.8.13"),
                    admin.command("latency|doctor", 2, latency_doctor)
                        .doc("Return a human readable latency analysis report", "2.8.13"),
                    admin.command("latency|graph", 3, latency_graph)
                        .doc("Return a latency graph for the event", "2.8.13"),
                    admin.command("latency|histogram", -2, latency_histogram)
                        .doc("Return the cumulative distribution of latencies of a subset of "
                             "commands or all",
                             "7.0.0"),
                    admin.command("latency|help", 2, latency_help)
                        .flags(flag_loading | flag_stale)
                        .acl("@slow")
                        .doc("Show helpful text about the different subcommands", "2.8.13"),
                }));
}

}  // namespace ringcache::commands
