// XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS and XINFO HELP (Redis 7.0's
// field names and order).

#include <fmt/format.h>

#include "core/commands/arguments.h"
#include "core/commands/server/server_family.h"
#include "core/commands/stream/stream_family.h"
#include "core/constants.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"

namespace ringcache::commands::stream {
namespace {

// The stream at argv[2]; null after replying (no such key, wrong type).
store::StreamValue* stream_or_reply(CommandContext& ctx) {
  const Lookup lookup = find_read(ctx, ctx.argv[2]);
  if (!lookup.ok) return nullptr;
  if (lookup.value == nullptr) ctx.reply.error(errors::no_such_key);
  return lookup.value;
}

void reply_lag(CommandContext& ctx, const store::StreamValue& value,
               const store::StreamGroup& group) {
  const auto lag = value.lag(group);
  if (lag) return ctx.reply.integer(*lag);
  ctx.reply.null();
}

void reply_entries_read(CommandContext& ctx, const store::StreamGroup& group) {
  if (group.entries_read == store::stream_entries_read_unknown) return ctx.reply.null();
  ctx.reply.integer(group.entries_read);
}

// The head fields both forms of XINFO STREAM share.
void reply_stream_head(CommandContext& ctx, const store::StreamValue& value) {
  const store::StreamState& s = value.state();
  ctx.reply.bulk("length");
  ctx.reply.integer(static_cast<int64_t>(s.log.size()));
  ctx.reply.bulk("radix-tree-keys");
  ctx.reply.integer(static_cast<int64_t>(s.log.block_count()));
  // Redis counts its radix tree's inner nodes here; blocks are the nearest thing we have.
  ctx.reply.bulk("radix-tree-nodes");
  ctx.reply.integer(static_cast<int64_t>(s.log.block_count() + 1));
  ctx.reply.bulk("last-generated-id");
  reply_id(ctx, s.last_id);
  ctx.reply.bulk("max-deleted-entry-id");
  reply_id(ctx, s.max_deleted_id);
  ctx.reply.bulk("entries-added");
  ctx.reply.integer(static_cast<int64_t>(s.entries_added));
  ctx.reply.bulk("recorded-first-entry-id");
  reply_id(ctx, s.first_id);
}

// An edge entry (first or last), or null.
void reply_edge(CommandContext& ctx, const store::StreamValue& value, bool last) {
  bool emitted = false;
  value.state().log.range(StreamId::min(), StreamId::max(), last,
                          [&](StreamId id, std::span<const std::string_view> items) {
                            reply_entry(ctx, id, items);
                            emitted = true;
                            return false;
                          });
  if (!emitted) ctx.reply.null();
}

void reply_full_consumer(CommandContext& ctx, const store::StreamGroup& group,
                         const store::StreamConsumer& consumer, int64_t count) {
  ctx.reply.map(4);
  ctx.reply.bulk("name");
  ctx.reply.bulk(consumer.name);
  ctx.reply.bulk("seen-time");
  ctx.reply.integer(consumer.seen_time_ms);
  ctx.reply.bulk("pel-count");
  ctx.reply.integer(static_cast<int64_t>(consumer.pending.size()));
  ctx.reply.bulk("pending");
  const size_t shown =
      count == 0 ? consumer.pending.size() : std::min<size_t>(consumer.pending.size(), count);
  ctx.reply.array(shown);
  size_t i = 0;
  for (auto it = consumer.pending.begin(); i < shown; ++it, ++i) {
    const store::StreamPending& entry = group.pending.at(*it);
    ctx.reply.array(3);
    reply_id(ctx, *it);
    ctx.reply.integer(entry.delivery_time_ms);
    ctx.reply.integer(static_cast<int64_t>(entry.delivery_count));
  }
}

void reply_full_group(CommandContext& ctx, const store::StreamValue& value, const std::string& name,
                      const store::StreamGroup& group, int64_t count) {
  ctx.reply.map(7);
  ctx.reply.bulk("name");
  ctx.reply.bulk(name);
  ctx.reply.bulk("last-delivered-id");
  reply_id(ctx, group.last_id);
  ctx.reply.bulk("entries-read");
  reply_entries_read(ctx, group);
  ctx.reply.bulk("lag");
  reply_lag(ctx, value, group);
  ctx.reply.bulk("pel-count");
  ctx.reply.integer(static_cast<int64_t>(group.pending.size()));
  ctx.reply.bulk("pending");
  const size_t shown =
      count == 0 ? group.pending.size() : std::min<size_t>(group.pending.size(), count);
  ctx.reply.array(shown);
  size_t i = 0;
  for (auto it = group.pending.begin(); i < shown; ++it, ++i) {
    ctx.reply.array(4);
    reply_id(ctx, it->first);
    ctx.reply.bulk(it->second.consumer->name);
    ctx.reply.integer(it->second.delivery_time_ms);
    ctx.reply.integer(static_cast<int64_t>(it->second.delivery_count));
  }
  ctx.reply.bulk("consumers");
  ctx.reply.array(group.consumers.size());
  for (const auto& [consumer_name, consumer] : group.consumers) {
    reply_full_consumer(ctx, group, consumer, count);
  }
}

void reply_full(CommandContext& ctx, const store::StreamValue& value, int64_t count) {
  ctx.reply.map(9);
  reply_stream_head(ctx, value);
  ctx.reply.bulk("entries");
  std::vector<std::pair<StreamId, std::vector<std::string_view>>> entries;
  value.state().log.range(StreamId::min(), StreamId::max(), false,
                          [&](StreamId id, std::span<const std::string_view> items) {
                            entries.emplace_back(
                                id, std::vector<std::string_view>(items.begin(), items.end()));
                            return count == 0 || static_cast<int64_t>(entries.size()) < count;
                          });
  ctx.reply.array(entries.size());
  for (const auto& [id, items] : entries) reply_entry(ctx, id, items);
  ctx.reply.bulk("groups");
  ctx.reply.array(value.state().groups.size());
  for (const auto& [name, group] : value.state().groups) {
    reply_full_group(ctx, value, name, group, count);
  }
}

}  // namespace

// XINFO STREAM key [FULL [COUNT count]]
void xinfo_stream_command(CommandContext& ctx) {
  store::StreamValue* value = stream_or_reply(ctx);
  if (value == nullptr) return;
  const size_t args = ctx.argv.size() - 2;
  int64_t count = constants::stream_info_full_count_default;
  bool full = false;
  if (args == 2 || args == 4) {
    if (!option_is(ctx.argv[3], "FULL")) return reply_subcommand_syntax_error(ctx, "XINFO");
    full = true;
    if (args == 4) {
      if (!option_is(ctx.argv[4], "COUNT")) return reply_subcommand_syntax_error(ctx, "XINFO");
      const auto value = int64_or_reply(ctx, ctx.argv[5]);
      if (!value) return;
      count = *value < 0 ? constants::stream_info_full_count_default : *value;
    }
  } else if (args != 1) {
    return reply_subcommand_syntax_error(ctx, "XINFO");
  }
  if (full) return reply_full(ctx, *value, count);
  ctx.reply.map(10);
  reply_stream_head(ctx, *value);
  ctx.reply.bulk("groups");
  ctx.reply.integer(static_cast<int64_t>(value->state().groups.size()));
  ctx.reply.bulk("first-entry");
  reply_edge(ctx, *value, false);
  ctx.reply.bulk("last-entry");
  reply_edge(ctx, *value, true);
}

// XINFO GROUPS key
void xinfo_groups_command(CommandContext& ctx) {
  store::StreamValue* value = stream_or_reply(ctx);
  if (value == nullptr) return;
  ctx.reply.array(value->state().groups.size());
  for (const auto& [name, group] : value->state().groups) {
    ctx.reply.map(6);
    ctx.reply.bulk("name");
    ctx.reply.bulk(name);
    ctx.reply.bulk("consumers");
    ctx.reply.integer(static_cast<int64_t>(group.consumers.size()));
    ctx.reply.bulk("pending");
    ctx.reply.integer(static_cast<int64_t>(group.pending.size()));
    ctx.reply.bulk("last-delivered-id");
    reply_id(ctx, group.last_id);
    ctx.reply.bulk("entries-read");
    reply_entries_read(ctx, group);
    ctx.reply.bulk("lag");
    reply_lag(ctx, *value, group);
  }
}

// XINFO CONSUMERS key group
void xinfo_consumers_command(CommandContext& ctx) {
  store::StreamValue* value = stream_or_reply(ctx);
  if (value == nullptr) return;
  const store::StreamGroup* group = value->find_group(ctx.argv[3]);
  if (group == nullptr) {
    return ctx.reply.error(fmt::format("NOGROUP No such consumer group '{}' for key name '{}'",
                                       ctx.argv[3], ctx.argv[2]));
  }
  const int64_t now = now_ms(ctx);
  ctx.reply.array(group->consumers.size());
  for (const auto& [name, consumer] : group->consumers) {
    ctx.reply.map(3);
    ctx.reply.bulk("name");
    ctx.reply.bulk(name);
    ctx.reply.bulk("pending");
    ctx.reply.integer(static_cast<int64_t>(consumer.pending.size()));
    ctx.reply.bulk("idle");
    ctx.reply.integer(std::max<int64_t>(0, now - consumer.seen_time_ms));
  }
}

void xinfo_help_command(CommandContext& ctx) {
  reply_help(ctx, "XINFO",
             {"CONSUMERS <key> <groupname>", "    Show consumers of <groupname>.", "GROUPS <key>",
              "    Show the stream consumer groups.", "STREAM <key> [FULL [COUNT <count>]",
              "    Show information about the stream."});
}

}  // namespace ringcache::commands::stream
