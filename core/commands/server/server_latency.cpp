// LATENCY LATEST/HISTORY/RESET/HELP over the node's latency monitor, with Redis 7.0's replies.
// (DOCTOR, GRAPH and HISTOGRAM are not implemented; per-command histograms are on /metrics.)

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

void latency_help(CommandContext& ctx) {
  reply_help(ctx, "LATENCY",
             {"HISTORY <event>", "    Return time-latency samples for the <event> class.",
              "LATEST", "    Return the latest latency samples for all events.",
              "RESET [<event> ...]", "    Reset latency data of one or more <event> classes.",
              "    (default: reset all data for all event classes)"});
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
                    admin.command("latency|help", 2, latency_help)
                        .flags(flag_loading | flag_stale)
                        .acl("@slow")
                        .doc("Show helpful text about the different subcommands", "2.8.13"),
                }));
}

}  // namespace ringcache::commands
