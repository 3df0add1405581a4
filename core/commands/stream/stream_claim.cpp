// XCLAIM and XAUTOCLAIM: moving pending entries to another consumer (Redis 7.0). A pending ID
// whose entry was deleted meanwhile leaves the PEL instead. Each change is propagated as an
// XCLAIM with the entry's resulting state (TIME, RETRYCOUNT, FORCE, JUSTID), never the command.

#include <fmt/format.h>

#include <climits>

#include "core/commands/arguments.h"
#include "core/commands/stream/stream_family.h"
#include "core/constants.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"

namespace ringcache::commands::stream {
namespace {

// XAUTOCLAIM looks at up to this many PEL entries per entry it may claim.

struct ClaimOptions {
  int64_t min_idle_ms = 0;
  int64_t retry_count = -1;       // -1: not given
  int64_t delivery_time_ms = -1;  // -1: IDLE/TIME not given
  bool force = false;
  bool justid = false;
  StreamId last_id;
};

// Everything that makes one group read: the stream, the group, the claiming consumer's name.
struct ClaimTarget {
  Lookup lookup;
  store::StreamGroup* group = nullptr;
  store::StreamConsumer* consumer = nullptr;  // made on the first claim
};

// The key is looked up first (a hit or a miss counted), its type checked when the group is.
store::Entry* look_up(CommandContext& ctx) { return ctx.server.keyspace().find_read(ctx.argv[1]); }

bool target_or_reply(CommandContext& ctx, store::Entry* entry, ClaimTarget& target) {
  if (reject_wrong_type(ctx, entry, store::ValueType::stream)) return false;
  target.lookup.entry = entry;
  if (entry != nullptr) {
    target.lookup.value = static_cast<store::StreamValue*>(entry->collection());
  }
  if (target.lookup.value != nullptr) target.group = target.lookup.value->find_group(ctx.argv[2]);
  if (target.group == nullptr) {
    ctx.reply.error(
        fmt::format("NOGROUP No such key '{}' or consumer group '{}'", ctx.argv[1], ctx.argv[2]));
    return false;
  }
  return true;
}

store::StreamConsumer& claiming_consumer(CommandContext& ctx, ClaimTarget& target) {
  if (target.consumer != nullptr) return *target.consumer;
  bool created = false;
  target.consumer = &target.group->consumer(ctx.argv[3], now_ms(ctx), &created);
  target.consumer->seen_time_ms = now_ms(ctx);
  if (created) notify(ctx, "xgroup-createconsumer", ctx.argv[1]);
  return *target.consumer;
}

// Drops a pending ID whose entry is gone, propagating the drop (a replayed FORCE claim of a
// missing entry drops it too).
void drop_missing(CommandContext& ctx, ClaimTarget& target, StreamId id) {
  const store::StreamPending& entry = target.group->pending.at(id);
  propagate_claim(ctx, ctx.argv[1], ctx.argv[2], *target.group, id, entry);
  target.group->acknowledge(id);
}

// Replies one claimed entry: its ID (JUSTID) or [id, [field, value ...]].
void reply_claimed(CommandContext& ctx, const store::StreamValue& value, StreamId id, bool justid) {
  if (justid) return reply_id(ctx, id);
  bool emitted = false;
  value.state().log.range(id, id, false, [&](StreamId, std::span<const std::string_view> items) {
    reply_entry(ctx, id, items);
    emitted = true;
    return false;
  });
  if (!emitted) ctx.reply.null();
}

// The options after the IDs; false after replying.
bool parse_claim_options(CommandContext& ctx, size_t from, int64_t now, ClaimOptions& options) {
  const auto number = [&](size_t at, std::string_view what, int64_t& out) {
    const auto value = parse_int64(ctx.argv[at]);
    if (!value) {
      ctx.reply.error(fmt::format("ERR Invalid {} option argument for XCLAIM", what));
      return false;
    }
    out = *value;
    return true;
  };
  for (size_t j = from; j < ctx.argv.size(); ++j) {
    const bool more = j + 1 < ctx.argv.size();
    const std::string_view option = ctx.argv[j];
    if (option_is(option, "FORCE")) {
      options.force = true;
    } else if (option_is(option, "JUSTID")) {
      options.justid = true;
    } else if (option_is(option, "IDLE") && more) {
      if (!number(++j, "IDLE", options.delivery_time_ms)) return false;
      options.delivery_time_ms = now - options.delivery_time_ms;
    } else if (option_is(option, "TIME") && more) {
      if (!number(++j, "TIME", options.delivery_time_ms)) return false;
    } else if (option_is(option, "RETRYCOUNT") && more) {
      if (!number(++j, "RETRYCOUNT", options.retry_count)) return false;
    } else if (option_is(option, "LASTID") && more) {
      const auto id = id_or_reply(ctx, ctx.argv[++j]);
      if (!id) return false;
      options.last_id = *id;
    } else {
      ctx.reply.error(fmt::format("ERR Unrecognized XCLAIM option '{}'", option));
      return false;
    }
  }
  return true;
}

}  // namespace

// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-ms]
//        [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID id]
void xclaim_command(CommandContext& ctx) {
  ClaimTarget target;
  if (!target_or_reply(ctx, look_up(ctx), target)) return;
  const auto min_idle = parse_int64(ctx.argv[4]);
  if (!min_idle) return ctx.reply.error("ERR Invalid min-idle-time argument for XCLAIM");
  ClaimOptions options;
  options.min_idle_ms = std::max<int64_t>(0, *min_idle);
  std::vector<StreamId> ids;
  size_t j = 5;
  for (; j < ctx.argv.size(); ++j) {
    const auto parsed = store::parse_stream_id(ctx.argv[j], 0, true);
    if (!parsed) break;
    ids.push_back(parsed->id);
  }
  const int64_t now = now_ms(ctx);
  if (!parse_claim_options(ctx, j, now, options)) return;
  ctx.server.propagation().replace_with_nothing();
  store::StreamGroup& group = *target.group;
  bool moved_last = false;
  if (options.last_id > group.last_id) {
    group.last_id = options.last_id;
    moved_last = true;
  }
  int64_t delivery_time = options.delivery_time_ms;
  if (delivery_time < 0 || delivery_time > now) delivery_time = now;
  const store::StreamValue& value = *target.lookup.value;
  bool changed = moved_last;
  std::vector<StreamId> claimed;
  for (StreamId id : ids) {
    auto found = group.pending.find(id);
    if (!value.state().log.contains(id)) {
      if (found != group.pending.end()) {
        drop_missing(ctx, target, id);
        moved_last = false;
        changed = true;
      }
      continue;
    }
    if (options.force && found == group.pending.end()) {
      found = group.pending.emplace(id, store::StreamPending{}).first;
    }
    if (found == group.pending.end()) continue;
    store::StreamPending& entry = found->second;
    if (entry.consumer != nullptr && options.min_idle_ms != 0 &&
        now - entry.delivery_time_ms < options.min_idle_ms) {
      continue;
    }
    group.assign(id, entry, claiming_consumer(ctx, target));
    entry.delivery_time_ms = delivery_time;
    if (options.retry_count >= 0) {
      entry.delivery_count = static_cast<uint64_t>(options.retry_count);
    } else if (!options.justid) {
      ++entry.delivery_count;
    }
    claimed.push_back(id);
    propagate_claim(ctx, ctx.argv[1], ctx.argv[2], group, id, entry);
    moved_last = false;
    changed = true;
  }
  if (moved_last) propagate_group_position(ctx, ctx.argv[1], ctx.argv[2], group);
  ctx.reply.array(claimed.size());
  for (StreamId id : claimed) reply_claimed(ctx, value, id, options.justid);
  if (changed || target.consumer != nullptr) written(ctx, target.lookup, ctx.argv[1], "");
}

// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
void xautoclaim_command(CommandContext& ctx) {
  store::Entry* entry = look_up(ctx);
  const auto min_idle = parse_int64(ctx.argv[4]);
  if (!min_idle) return ctx.reply.error("ERR Invalid min-idle-time argument for XAUTOCLAIM");
  const bool exclusive = ctx.argv[5].size() > 1 && ctx.argv[5][0] == '(';
  const auto parsed = id_or_reply(ctx, ctx.argv[5].substr(exclusive ? 1 : 0), 0, exclusive);
  if (!parsed) return;
  std::optional<StreamId> start = exclusive ? parsed->next() : parsed;
  if (!start) return ctx.reply.error("ERR invalid start ID for the interval");
  int64_t count = constants::stream_autoclaim_count_default;
  bool justid = false;
  for (size_t j = 6; j < ctx.argv.size(); ++j) {
    if (option_is(ctx.argv[j], "COUNT") && j + 1 < ctx.argv.size()) {
      const auto value = parse_int64(ctx.argv[++j]);
      const int64_t max_count = LONG_MAX / 16;
      if (!value || *value < 1 || *value > max_count) {
        return ctx.reply.error("ERR COUNT must be > 0");
      }
      count = *value;
    } else if (option_is(ctx.argv[j], "JUSTID")) {
      justid = true;
    } else {
      return ctx.reply.error(errors::syntax);
    }
  }
  ClaimTarget target;
  if (!target_or_reply(ctx, entry, target)) return;
  ctx.server.propagation().replace_with_nothing();
  const int64_t now = now_ms(ctx);
  store::StreamGroup& group = *target.group;
  const store::StreamValue& value = *target.lookup.value;
  std::vector<StreamId> claimed;
  std::vector<StreamId> deleted;
  int64_t attempts = count * constants::stream_autoclaim_attempts_factor;
  auto it = group.pending.lower_bound(*start);
  while (attempts-- > 0 && count > 0 && it != group.pending.end()) {
    const StreamId id = it->first;
    if (!value.state().log.contains(id)) {
      ++it;
      drop_missing(ctx, target, id);
      deleted.push_back(id);
      --count;
      continue;
    }
    store::StreamPending& entry = it->second;
    ++it;
    if (*min_idle > 0 && now - entry.delivery_time_ms < *min_idle) continue;
    group.assign(id, entry, claiming_consumer(ctx, target));
    entry.delivery_time_ms = now;
    if (!justid) ++entry.delivery_count;
    claimed.push_back(id);
    --count;
    propagate_claim(ctx, ctx.argv[1], ctx.argv[2], group, id, entry);
  }
  ctx.reply.array(3);
  reply_id(ctx, it == group.pending.end() ? StreamId::min() : it->first);
  ctx.reply.array(claimed.size());
  for (StreamId id : claimed) reply_claimed(ctx, value, id, justid);
  ctx.reply.array(deleted.size());
  for (StreamId id : deleted) reply_id(ctx, id);
  if (!claimed.empty() || !deleted.empty() || target.consumer != nullptr) {
    written(ctx, target.lookup, ctx.argv[1], "");
  }
}

}  // namespace ringcache::commands::stream
