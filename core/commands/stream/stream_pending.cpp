// XACK and XPENDING: acknowledging delivered entries and reading a group's pending entries
// list (the summary, or entries in an ID range, optionally one consumer's, optionally only those
// idle for long enough).

#include <fmt/format.h>

#include "core/commands/arguments.h"
#include "core/commands/stream/stream_family.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"

namespace ringcache::commands::stream {
namespace {

// XPENDING's range form.
struct PendingRange {
  int64_t min_idle_ms = 0;
  StreamId start;
  StreamId end;
  int64_t count = 0;
  std::optional<std::string_view> consumer;
};

// One end of an interval, "(" exclusive (as XRANGE reads it); nullopt after replying.
std::optional<StreamId> bound(CommandContext& ctx, std::string_view text, bool is_start) {
  const bool exclusive = text.size() > 1 && text[0] == '(';
  if (exclusive) text.remove_prefix(1);
  const auto id = id_or_reply(ctx, text, is_start ? 0 : UINT64_MAX, exclusive);
  if (!id || !exclusive) return id;
  const auto moved = is_start ? id->next() : id->previous();
  if (!moved) {
    ctx.reply.error(is_start ? "ERR invalid start ID for the interval"
                             : "ERR invalid end ID for the interval");
  }
  return moved;
}

std::optional<PendingRange> parse_range(CommandContext& ctx) {
  PendingRange range;
  size_t at = 3;
  if (option_is(ctx.argv[3], "IDLE")) {
    const auto idle = int64_or_reply(ctx, ctx.argv[4]);
    if (!idle) return std::nullopt;
    if (ctx.argv.size() < 8) {
      ctx.reply.error(errors::syntax);
      return std::nullopt;
    }
    range.min_idle_ms = *idle;
    at += 2;
  }
  const auto count = int64_or_reply(ctx, ctx.argv[at + 2]);
  if (!count) return std::nullopt;
  range.count = *count < 0 ? 0 : *count;
  const auto start = bound(ctx, ctx.argv[at], true);
  if (!start) return std::nullopt;
  const auto end = bound(ctx, ctx.argv[at + 1], false);
  if (!end) return std::nullopt;
  range.start = *start;
  range.end = *end;
  if (at + 3 < ctx.argv.size()) range.consumer = ctx.argv[at + 3];
  return range;
}

void reply_summary(CommandContext& ctx, store::StreamGroup& group) {
  ctx.reply.array(4);
  ctx.reply.integer(static_cast<int64_t>(group.pending.size()));
  if (group.pending.empty()) {
    ctx.reply.null();
    ctx.reply.null();
    ctx.reply.null_array();
    return;
  }
  reply_id(ctx, group.pending.begin()->first);
  reply_id(ctx, group.pending.rbegin()->first);
  size_t holders = 0;
  for (const auto& [name, consumer] : group.consumers) holders += consumer.pending.empty() ? 0 : 1;
  ctx.reply.array(holders);
  for (const auto& [name, consumer] : group.consumers) {
    if (consumer.pending.empty()) continue;
    ctx.reply.array(2);
    ctx.reply.bulk(name);
    ctx.reply.bulk(std::to_string(consumer.pending.size()));
  }
}

void reply_range(CommandContext& ctx, store::StreamGroup& group, const PendingRange& range) {
  const std::set<StreamId>* held = nullptr;
  if (range.consumer) {
    const store::StreamConsumer* consumer = group.find_consumer(*range.consumer);
    if (consumer == nullptr) return ctx.reply.empty_array();
    held = &consumer->pending;
  }
  const int64_t now = now_ms(ctx);
  std::vector<std::pair<StreamId, const store::StreamPending*>> found;
  for (auto it = group.pending.lower_bound(range.start);
       it != group.pending.end() && it->first <= range.end &&
       static_cast<int64_t>(found.size()) < range.count;
       ++it) {
    if (held != nullptr && held->count(it->first) == 0) continue;
    if (range.min_idle_ms != 0 && now - it->second.delivery_time_ms < range.min_idle_ms) continue;
    found.emplace_back(it->first, &it->second);
  }
  ctx.reply.array(found.size());
  for (const auto& [id, entry] : found) {
    ctx.reply.array(4);
    reply_id(ctx, id);
    ctx.reply.bulk(entry->consumer->name);
    ctx.reply.integer(std::max<int64_t>(0, now - entry->delivery_time_ms));
    ctx.reply.integer(static_cast<int64_t>(entry->delivery_count));
  }
}

}  // namespace

// XACK key group id [id ...]
void xack_command(CommandContext& ctx) {
  const Lookup lookup = find_read(ctx, ctx.argv[1]);
  if (!lookup.ok) return;
  store::StreamGroup* group =
      lookup.value == nullptr ? nullptr : lookup.value->find_group(ctx.argv[2]);
  if (group == nullptr) return ctx.reply.integer(0);
  std::vector<StreamId> ids;
  for (size_t i = 3; i < ctx.argv.size(); ++i) {
    const auto id = id_or_reply(ctx, ctx.argv[i]);
    if (!id) return;
    ids.push_back(*id);
  }
  int64_t acknowledged = 0;
  for (StreamId id : ids) acknowledged += group->acknowledge(id) ? 1 : 0;
  if (acknowledged != 0) written(ctx, lookup, ctx.argv[1], "");
  ctx.reply.integer(acknowledged);
}

// XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
void xpending_command(CommandContext& ctx) {
  const size_t argc = ctx.argv.size();
  if (argc != 3 && (argc < 6 || argc > 9)) return ctx.reply.error(errors::syntax);
  std::optional<PendingRange> range;
  if (argc >= 6) {
    range = parse_range(ctx);
    if (!range) return;
  }
  const Lookup lookup = find_read(ctx, ctx.argv[1]);
  if (!lookup.ok) return;
  store::StreamGroup* group =
      lookup.value == nullptr ? nullptr : lookup.value->find_group(ctx.argv[2]);
  if (group == nullptr) {
    return ctx.reply.error(
        fmt::format("NOGROUP No such key '{}' or consumer group '{}'", ctx.argv[1], ctx.argv[2]));
  }
  if (!range) return reply_summary(ctx, *group);
  reply_range(ctx, *group, *range);
}

}  // namespace ringcache::commands::stream
