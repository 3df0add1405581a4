// The target's side of a slot migration (docs/cluster.md, "Ownership changes"): the source
// node connects to this node's client port and sends
//   CLUSTER IMPORT <source-id> <epoch> MORE|COMMIT <chunk> <age-ms>
// where the chunks of one batch, concatenated, are the commands that rebuild its keys (each key
// first deleted, so a batch sent twice leaves the same keys), and <age-ms> is the batch's age as
// the chunk left the source (ms since its keys were copied). COMMIT applies the whole batch in one
// step — no other client sees half of it — after checking that every key belongs to a slot this
// node imports from that source in the configuration of that epoch, with each relative TTL
// shortened by the COMMIT chunk's age; the reply is the source's acknowledgement. Then
//   CLUSTER MIGRATION-DONE <source-id> <epoch>
// says the source holds no key left for this node in that configuration.

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "core/cluster/key_slot.h"
#include "core/commands/arguments.h"
#include "core/commands/cluster/cluster_family.h"
#include "core/commands/dispatch.h"
#include "core/protocol/ascii.h"
#include "core/protocol/resp_parser.h"

namespace ringcache::commands {
namespace {

using Argv = std::vector<std::string_view>;

// The commands of a staged batch (views into `payload`), or an error.
Result<std::vector<Argv>> parse_batch(std::string_view payload) {
  protocol::ParserLimits limits;
  limits.bulk_bytes_max = static_cast<int64_t>(constants::cluster_migration_staging_bytes_max);
  protocol::RespParser parser(limits);
  std::vector<Argv> commands;
  while (!payload.empty()) {
    const protocol::RespParser::Outcome outcome = parser.parse(payload);
    if (outcome != protocol::RespParser::Outcome::command || parser.argv().empty()) {
      return Status(Errc::invalid_argument, "malformed migration batch");
    }
    commands.emplace_back(parser.argv().begin(), parser.argv().end());
    payload.remove_prefix(parser.consumed());
  }
  return commands;
}

// Why the batch may not be applied here, or nullopt: every key must hash to a slot imported
// from `source` in the committed configuration, which must be `epoch`'s.
std::optional<std::string> batch_refusal(server::Server& server,
                                         const cluster::ClusterState& cluster,
                                         std::string_view source, uint64_t epoch,
                                         const std::vector<Argv>& commands) {
  if (cluster.membership().config().epoch != epoch) {
    return fmt::format("TRYAGAIN configuration epoch {} here, {} at the source",
                       cluster.membership().config().epoch, epoch);
  }
  const CommandTable& table = server.commands();
  for (const Argv& argv : commands) {
    const CommandSpec* spec = table.find(argv[0]);
    if (spec != nullptr && !spec->subcommands.empty() && argv.size() >= 2) {
      spec = table.find_subcommand(*spec, argv[1]);
    }
    if (spec == nullptr) return fmt::format("ERR unknown command '{}' in batch", argv[0]);
    for (const int position : CommandTable::key_positions(*spec, argv)) {
      const cluster::Slot slot = cluster::key_slot(argv[static_cast<size_t>(position)]);
      const std::optional<cluster::ShardAddress> from = cluster.importing_from(slot);
      if (!from || from->member == nullptr || from->member->node_id != source) {
        return fmt::format("TRYAGAIN slot {} is not imported from {} here", slot, source);
      }
    }
  }
  return std::nullopt;
}

// A batch's TTLs are what remained of them when the source collected it (emit_key_commands:
// "SET key value PX ms", "PEXPIRE key ms"); the batch's age when its last chunk left the source
// (rate pacing, earlier chunks waiting on the connection) is taken off them, else every such wait
// would lengthen the keys' lives. A TTL keeps at least 1 ms, as at the source: a key about to
// expire expires here. `texts` holds the new values the commands' views point to.
void shorten_ttls(std::vector<Argv>& commands, int64_t age_ms, std::deque<std::string>& texts) {
  if (age_ms == 0) return;
  for (Argv& argv : commands) {
    size_t position = 0;
    if (protocol::iequals(argv[0], "pexpire") && argv.size() == 3) position = 2;
    if (protocol::iequals(argv[0], "set") && argv.size() == 5 && protocol::iequals(argv[3], "px")) {
      position = 4;
    }
    if (position == 0) continue;
    const std::optional<int64_t> ttl_ms = parse_int64(argv[position]);
    if (!ttl_ms || *ttl_ms <= 1) continue;  // nothing to take off (a bad value: left to refuse)
    argv[position] = texts.emplace_back(std::to_string(std::max<int64_t>(1, *ttl_ms - age_ms)));
  }
}

// Runs the batch's commands back to back, without suspending, as one unit for the AOF; as EXEC
// does, so routing admits them (their keys were checked) and blocked clients are served after.
uint64_t apply_batch(CommandContext& ctx, const std::vector<Argv>& commands) {
  std::string discarded;
  protocol::ReplyWriter sink(discarded);
  ctx.server.keyspace().set_now_ms(ctx.server.runtime().wall_time_ms());
  ctx.client.in_exec = true;
  ctx.server.begin_transaction();
  for (const Argv& argv : commands) {
    execute(ctx.server, ctx.client, argv, sink, CommandTime::preset);
  }
  ctx.server.end_transaction();
  ctx.client.in_exec = false;
  return sink.errors_written();
}

std::optional<uint64_t> epoch_or_reply(CommandContext& ctx, std::string_view text) {
  const std::optional<int64_t> epoch = parse_int64(text);
  if (!epoch || *epoch <= 0) {
    ctx.reply.error("ERR invalid epoch");
    return std::nullopt;
  }
  return static_cast<uint64_t>(*epoch);
}

void commit_batch(CommandContext& ctx, cluster::ClusterState& cluster, std::string_view source,
                  uint64_t epoch, int64_t age_ms) {
  const std::string payload = std::move(ctx.client.cluster_import_staging);
  ctx.client.cluster_import_staging.clear();
  Result<std::vector<Argv>> commands = parse_batch(payload);
  if (!commands) return ctx.reply.error("ERR " + commands.status().message());
  if (auto refusal = batch_refusal(ctx.server, cluster, source, epoch, commands.value())) {
    return ctx.reply.error(*refusal);
  }
  std::deque<std::string> shortened;
  shorten_ttls(commands.value(), age_ms, shortened);
  if (const uint64_t errors = apply_batch(ctx, commands.value()); errors != 0) {
    return ctx.reply.error(fmt::format("ERR {} commands of the batch failed", errors));
  }
  cluster::MigrationStats& stats = cluster.migration().stats();
  for (const Argv& argv : commands.value()) stats.keys_received += argv[0] == "DEL" ? 1 : 0;
  stats.bytes_received += payload.size();
  ctx.reply.ok();
}

}  // namespace

// CLUSTER IMPORT <source-id> <epoch> MORE|COMMIT <chunk> <age-ms>
void cluster_import(CommandContext& ctx) {
  cluster::ClusterState* cluster = cluster_or_reply(ctx);
  if (cluster == nullptr) return;
  const std::optional<uint64_t> epoch = epoch_or_reply(ctx, ctx.argv[3]);
  if (!epoch) return;
  const std::optional<int64_t> age_ms = parse_int64(ctx.argv[6]);
  if (!age_ms || *age_ms < 0) return ctx.reply.error("ERR invalid batch age");
  std::string& staging = ctx.client.cluster_import_staging;
  if (staging.size() + ctx.argv[5].size() > constants::cluster_migration_staging_bytes_max) {
    staging.clear();
    return ctx.reply.error("ERR migration batch too large");
  }
  staging.append(ctx.argv[5]);
  const std::string_view mode = ctx.argv[4];
  if (protocol::iequals(mode, "more")) return ctx.reply.ok();
  if (!protocol::iequals(mode, "commit")) {
    staging.clear();
    return ctx.reply.error("ERR syntax error");
  }
  commit_batch(ctx, *cluster, ctx.argv[2], *epoch, *age_ms);
}

// CLUSTER MIGRATION-DONE <source-id> <epoch>
void cluster_migration_done(CommandContext& ctx) {
  cluster::ClusterState* cluster = cluster_or_reply(ctx);
  if (cluster == nullptr) return;
  const std::optional<uint64_t> epoch = epoch_or_reply(ctx, ctx.argv[3]);
  if (!epoch) return;
  const Status recorded = cluster->record_source_done(std::string(ctx.argv[2]), *epoch);
  if (!recorded) return ctx.reply.error("TRYAGAIN " + recorded.message());
  ctx.reply.ok();
}

}  // namespace ringcache::commands
