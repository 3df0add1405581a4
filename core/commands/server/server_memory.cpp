// MEMORY USAGE, DOCTOR, MALLOC-STATS, PURGE, HELP. USAGE answers what used_memory counts for the
// key (its entry and collection, exactly: no sampling is needed, so SAMPLES is checked and
// ignored); the allocator is glibc's, so there are no allocator statistics or pages to purge.

#include <fmt/format.h>

#include "core/commands/arguments.h"
#include "core/commands/server/info/info_text.h"
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
  std::string report =
      fmt::format("used_memory {} bytes for {} keys", keyspace.used_memory(), keyspace.size());
  if (maxmemory > 0) {
    report += fmt::format(
        ", {:.1f}% of maxmemory ({} bytes, policy {}).",
        100.0 * static_cast<double>(keyspace.used_memory()) / static_cast<double>(maxmemory),
        maxmemory, store::maxmemory_policy_name(ctx.server.config().eviction.policy));
  } else {
    report += "; no maxmemory limit is set, so nothing is evicted.";
  }
  ctx.reply.verbatim("txt", report);
}

// MEMORY STATS: Redis 7.0's keys, from the figures INFO memory shows; the overheads this node
// does not account separately (tables, startup, scripting) read 0.
void memory_stats(CommandContext& ctx) {
  const info::MemoryFigures m = info::memory_figures(ctx.server);
  const store::Keyspace& keyspace = ctx.server.keyspace();
  const auto ratio = [](uint64_t a, uint64_t b) {
    return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
  };
  const auto as_int = [](uint64_t v) { return static_cast<int64_t>(v); };
  const bool has_db = keyspace.size() != 0;
  ctx.reply.map(has_db ? 28 : 27);
  const auto integer = [&](std::string_view name, int64_t value) {
    ctx.reply.bulk(name);
    ctx.reply.integer(value);
  };
  const auto dbl = [&](std::string_view name, double value) {
    ctx.reply.bulk(name);
    ctx.reply.dbl(value);
  };
  integer("peak.allocated", as_int(m.peak));
  integer("total.allocated", as_int(m.used));
  for (std::string_view name : {"startup.allocated", "replication.backlog", "clients.slaves"}) {
    integer(name, 0);
  }
  integer("clients.normal", as_int(m.clients_normal));
  for (std::string_view name : {"cluster.links", "aof.buffer", "lua.caches", "functions.caches"}) {
    integer(name, 0);
  }
  if (has_db) {
    ctx.reply.bulk("db.0");
    ctx.reply.map(3);
    integer("overhead.hashtable.main", 0);
    integer("overhead.hashtable.expires", 0);
    integer("overhead.hashtable.slot-to-keys", 0);
  }
  integer("overhead.total", 0);
  integer("keys.count", as_int(keyspace.size()));
  integer("keys.bytes-per-key", keyspace.size() == 0 ? 0 : as_int(m.used / keyspace.size()));
  integer("dataset.bytes", as_int(m.used));
  dbl("dataset.percentage", m.used == 0 ? 0.0 : 100.0);
  dbl("peak.percentage", 100.0 * ratio(m.used, m.peak));
  integer("allocator.allocated", as_int(m.used));
  integer("allocator.active", as_int(m.used));
  integer("allocator.resident", as_int(m.rss));
  dbl("allocator-fragmentation.ratio", 1.0);
  integer("allocator-fragmentation.bytes", 0);
  dbl("allocator-rss.ratio", ratio(m.rss, m.used));
  integer("allocator-rss.bytes", as_int(m.rss) - as_int(m.used));
  dbl("rss-overhead.ratio", 1.0);
  integer("rss-overhead.bytes", 0);
  dbl("fragmentation", ratio(m.rss, m.used));
  integer("fragmentation.bytes", as_int(m.rss) - as_int(m.used));
}

void memory_malloc_stats(CommandContext& ctx) {
  ctx.reply.bulk("Stats not supported for the current allocator");
}

void memory_purge(CommandContext& ctx) { ctx.reply.ok(); }

void memory_help(CommandContext& ctx) {
  reply_help(ctx, "MEMORY",
             {"DOCTOR", "    Return memory problems reports.", "STATS",
              "    Return information about the memory usage of the server.", "MALLOC-STATS",
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
                    memory.command("memory|stats", 2, memory_stats)
                        .doc("Show memory usage details", "4.0.0"),
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
