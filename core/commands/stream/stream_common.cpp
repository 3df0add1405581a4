// Helpers shared by the stream command files (stream_family.h).

#include <fmt/format.h>

#include "core/commands/arguments.h"
#include "core/commands/stream/stream_family.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"

namespace ringcache::commands::stream {
namespace {

Lookup checked(CommandContext& ctx, store::Entry* entry) {
  Lookup lookup;
  if (reject_wrong_type(ctx, entry, store::ValueType::stream)) {
    lookup.ok = false;
    return lookup;
  }
  lookup.entry = entry;
  if (entry != nullptr) lookup.value = static_cast<store::StreamValue*>(entry->collection());
  return lookup;
}

}  // namespace

Lookup find_read(CommandContext& ctx, std::string_view key) {
  return checked(ctx, ctx.server.keyspace().find_read(key));
}

Lookup find_write(CommandContext& ctx, std::string_view key) {
  return checked(ctx, ctx.server.keyspace().find_write(key));
}

Lookup create(CommandContext& ctx, std::string_view key) {
  Lookup lookup;
  lookup.entry = ctx.server.keyspace().add_collection(key, std::make_unique<store::StreamValue>());
  lookup.value = static_cast<store::StreamValue*>(lookup.entry->collection());
  return lookup;
}

std::optional<StreamId> id_or_reply(CommandContext& ctx, std::string_view text,
                                    uint64_t missing_seq, bool strict) {
  const auto parsed = store::parse_stream_id(text, missing_seq, strict);
  if (!parsed) {
    ctx.reply.error(invalid_id);
    return std::nullopt;
  }
  return parsed->id;
}

void reply_id(CommandContext& ctx, StreamId id) { ctx.reply.bulk(id.to_string()); }

void reply_entry(CommandContext& ctx, StreamId id, std::span<const std::string_view> items) {
  ctx.reply.array(2);
  reply_id(ctx, id);
  ctx.reply.array(items.size());
  for (std::string_view item : items) ctx.reply.bulk(item);
}

void written(CommandContext& ctx, const Lookup& lookup, std::string_view key,
             std::string_view event) {
  ctx.server.keyspace().collection_written(lookup.entry);
  ctx.server.key_modified(key);
  if (!event.empty()) notify(ctx, event, key);
}

void notify(CommandContext& ctx, std::string_view event, std::string_view key) {
  ctx.server.notify_keyspace_event(server::event_stream, event, key);
}

int64_t now_ms(CommandContext& ctx) {
  if (ctx.client.aof_loader) return ctx.server.runtime().wall_time_ms();
  return ctx.server.keyspace().now_ms();
}

store::StreamBlockLimits block_limits(CommandContext& ctx) {
  const auto& limits = ctx.server.config().encoding;
  return {limits.stream_node_max_bytes, limits.stream_node_max_entries};
}

std::string no_group_error(std::string_view key, std::string_view group, std::string_view command) {
  return "NOGROUP No such key '" + std::string(key) + "' or consumer group '" + std::string(group) +
         "' in " + std::string(command) + " command";
}

void propagate_claim(CommandContext& ctx, std::string_view key, std::string_view group_name,
                     const store::StreamGroup& group, StreamId id,
                     const store::StreamPending& entry) {
  const std::string id_text = id.to_string();
  const std::string time = format_int64(entry.delivery_time_ms);
  const std::string count = std::to_string(entry.delivery_count);
  const std::string last = group.last_id.to_string();
  ctx.server.propagation().replace_with({"XCLAIM", key, group_name, entry.consumer->name, "0",
                                         id_text, "TIME", time, "RETRYCOUNT", count, "FORCE",
                                         "JUSTID", "LASTID", last});
}

void propagate_group_position(CommandContext& ctx, std::string_view key,
                              std::string_view group_name, const store::StreamGroup& group) {
  const std::string last = group.last_id.to_string();
  const std::string read = format_int64(group.entries_read);
  ctx.server.propagation().replace_with(
      {"XGROUP", "SETID", key, group_name, last, "ENTRIESREAD", read});
}

void reply_subcommand_syntax_error(CommandContext& ctx, std::string_view container) {
  ctx.reply.error(fmt::format(
      "ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.", ctx.argv[1],
      container));
}

}  // namespace ringcache::commands::stream
