// MEMORY USAGE, DOCTOR, MALLOC-STATS, PURGE, HELP. USAGE answers what used_memory counts for the
// key (its entry and collection, exactly: no sampling is needed, so SAMPLES is checked and
// ignored); the allocator is glibc's, so there are no allocator statistics or pages to purge.

#include <fmt/format.h>

#include "core/commands/arguments.h"
#include "core/commands/server/server_family.h"
#include "core/server/server.h"

namespace ringcache::commands {
namespace {

// MEMORY USAGE key [SAMPLES count]: bytes, or nil for a missing key.
void memory_usage(CommandContext& ctx) {
  for (size_t i = 3; i < ctx.argv.size(); i += 2) {
    if (!option_is(ctx.argv[i], "SAMPLES") || i + 1 == ctx.argv.size()) {
      return ctx.reply.error(errors::syntax);
    }
    const std::optional<int64_t> samples = int64_or_reply(ctx, ctx.argv[i + 1]);
    if (!samples) return;
    if (*samples < 0) return ctx.reply.error(errors::syntax);
  }
  const store::Entry* entry = ctx.server.keyspace().peek(ctx.argv[2]);
  if (entry == nullptr) return ctx.reply.null();
  ctx.reply.integer(static_cast<int64_t>(store::Keyspace::key_bytes(entry)));
}

// A short report of what could matter, from the figures INFO memory shows.
void memory_doctor(CommandContext& ctx) {
  const store::Keyspace& keyspace = ctx.server.keyspace();
  const uint64_t maxmemory = ctx.server.config().eviction.maxmemory_bytes;
  std::string report = fmt::format("used_memory {} bytes for {} keys", keyspace.used_memory(),
                                   keyspace.size());
  if (maxmemory > 0) {
    report += fmt::format(", {:.1f}% of maxmemory ({} bytes, policy {}).",
                          100.0 * static_cast<double>(keyspace.used_memory()) /
                              static_cast<double>(maxmemory),
                          maxmemory, store::maxmemory_policy_name(ctx.server.config().eviction.policy));
  } else {
    report += "; no maxmemory limit is set, so nothing is evicted.";
  }
  ctx.reply.verbatim("txt", report);
}

void memory_malloc_stats(CommandContext& ctx) {
  ctx.reply.bulk("Stats not supported for the current allocator");
}

void memory_purge(CommandContext& ctx) { ctx.reply.ok(); }

void memory_help(CommandContext& ctx) {
  reply_help(ctx, "MEMORY",
             {"DOCTOR", "    Return memory problems reports.", "MALLOC-STATS",
              "    Return internal statistics report from the memory allocator.", "PURGE",
              "    Attempt to purge dirty pages for reclamation by the allocator.",
              "USAGE <key> [SAMPLES <count>]",
              "    Return memory in bytes used by <key> and its value. Nested values are",
              "    sampled up to <count> times (default: 5, 0 means sample all)."});
}

}  // namespace

void register_memory_commands(CommandTable& table) {
  const SpecBuilder memory = SpecBuilder::family("server", "@slow");
  table.add(container("memory", "server")
                .doc("A container for memory diagnostics commands", "4.0.0")
                .subcommands({
                    memory.command("memory|doctor", 2, memory_doctor)
                        .doc("Outputs memory problems report", "4.0.0"),
                    memory.command("memory|malloc-stats", 2, memory_malloc_stats)
                        .doc("Show allocator internal stats", "4.0.0"),
                    memory.command("memory|purge", 2, memory_purge)
                        .doc("Ask the allocator to release memory", "4.0.0"),
                    memory.command("memory|usage", -3, memory_usage)
                        .flags(flag_readonly)
                        .keys({2, 2, 1})
                        .acl("@read @slow")
                        .doc("Estimate the memory usage of a key", "4.0.0"),
                    memory.command("memory|help", 2, memory_help)
                        .flags(flag_loading | flag_stale)
                        .doc("Show helpful text about the different subcommands", "4.0.0"),
                }));
}

}  // namespace ringcache::commands
