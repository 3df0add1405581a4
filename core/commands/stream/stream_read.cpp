// XREAD and XREADGROUP (Redis 7.0's xreadCommand): entries after an ID from one or more streams,
// or for a consumer group the entries never delivered (">", which adds them to the pending
// entries list unless NOACK) or the consumer's own pending history (any other ID). With BLOCK
// and nothing to serve the client waits (blocking_command.h) until a write gives one of its
// streams something new.

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/commands/arguments.h"
#include "core/commands/blocking_command.h"
#include "core/commands/stream/stream_family.h"
#include "core/constants.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"

namespace ringcache::commands::stream {
namespace {

using server::ServeResult;

// A blocked reader with no COUNT gets at most this many entries per stream (Redis'
// XREAD_BLOCKED_DEFAULT_COUNT), so a low ID does not make one wake-up huge.

struct ReadRequest {
  bool group_mode = false;  // XREADGROUP
  bool group_given = false;
  std::string group;
  std::string consumer;
  bool noack = false;
  int64_t count = 0;  // 0: no limit
  bool block = false;
  std::optional<Instant> deadline;
  std::vector<std::string_view> keys;
  std::vector<StreamId> ids;  // for ">" StreamId::max()
};

struct EntryOut {
  StreamId id;
  bool missing = false;  // a pending ID whose entry was deleted: [id, nil]
  std::vector<std::string> items;
};
struct StreamOut {
  std::string key;
  std::vector<EntryOut> entries;
};

bool is_new_marker(StreamId id) { return id == StreamId::max(); }

// BLOCK's milliseconds; false after replying. A script may not ask (Redis' rule: where a
// blocking list pop in a script just answers at once, a stream read with BLOCK is refused).
bool read_block(CommandContext& ctx, std::string_view text, ReadRequest& request) {
  if (runs_for_script(ctx)) {
    ctx.reply.error(fmt::format("ERR {} command is not allowed with BLOCK option from scripts",
                                ctx.argv[0]));
    return false;
  }
  const auto ms = parse_int64(text);
  if (!ms) {
    ctx.reply.error("ERR timeout is not an integer or out of range");
    return false;
  }
  if (*ms < 0) {
    ctx.reply.error("ERR timeout is negative");
    return false;
  }
  request.block = true;
  request.deadline.reset();
  if (*ms > 0 && *ms <= constants::block_timeout_ms_max) {
    request.deadline = ctx.server.runtime().now() + std::chrono::milliseconds(*ms);
  }
  return true;
}

// The options before STREAMS; returns the index of the first key (0 after replying).
size_t parse_options(CommandContext& ctx, ReadRequest& request) {
  const auto& argv = ctx.argv;
  for (size_t i = 1; i < argv.size(); ++i) {
    const size_t more = argv.size() - 1 - i;
    if (option_is(argv[i], "BLOCK") && more > 0) {
      if (!read_block(ctx, argv[++i], request)) return 0;
    } else if (option_is(argv[i], "COUNT") && more > 0) {
      const auto count = int64_or_reply(ctx, argv[++i]);
      if (!count) return 0;
      request.count = *count < 0 ? 0 : *count;
    } else if (option_is(argv[i], "STREAMS") && more > 0) {
      if (more % 2 != 0) {
        // Redis 7.0 words it so for XREADGROUP too.
        ctx.reply.error(
            "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be "
            "specified.");
        return 0;
      }
      return i + 1;
    } else if (option_is(argv[i], "GROUP") && more >= 2) {
      if (!request.group_mode) {
        ctx.reply.error(
            "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
        return 0;
      }
      request.group_given = true;
      request.group = argv[i + 1];
      request.consumer = argv[i + 2];
      i += 2;
    } else if (option_is(argv[i], "NOACK")) {
      if (!request.group_mode) {
        ctx.reply.error(
            "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
        return 0;
      }
      request.noack = true;
    } else {
      ctx.reply.error(errors::syntax);
      return 0;
    }
  }
  ctx.reply.error(errors::syntax);
  return 0;
}

// The keys and their IDs; false after replying.
bool parse_streams(CommandContext& ctx, size_t keys_at, ReadRequest& request) {
  const size_t streams = (ctx.argv.size() - keys_at) / 2;
  for (size_t s = 0; s < streams; ++s) {
    const std::string_view key = ctx.argv[keys_at + s];
    const std::string_view id_text = ctx.argv[keys_at + streams + s];
    const Lookup lookup = find_read(ctx, key);
    if (!lookup.ok) return false;
    if (request.group_mode &&
        (lookup.value == nullptr || lookup.value->find_group(request.group) == nullptr)) {
      ctx.reply.error("NOGROUP No such key '" + std::string(key) + "' or consumer group '" +
                      request.group + "' in XREADGROUP with GROUP option");
      return false;
    }
    StreamId id;
    if (id_text == "$") {
      if (request.group_mode) {
        ctx.reply.error(
            "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the "
            "history of this consumer by specifying a proper ID, or use the > ID to get new "
            "messages. The $ ID would just return an empty result set.");
        return false;
      }
      id = lookup.value == nullptr ? StreamId::min() : lookup.value->state().last_id;
    } else if (id_text == ">") {
      if (!request.group_mode) {
        ctx.reply.error(
            "ERR The > ID can be specified only when calling XREADGROUP using the GROUP "
            "<group> <consumer> option.");
        return false;
      }
      id = StreamId::max();
    } else {
      const auto parsed = id_or_reply(ctx, id_text);
      if (!parsed) return false;
      id = *parsed;
    }
    request.keys.push_back(key);
    request.ids.push_back(id);
  }
  return true;
}

std::vector<std::string> copy_items(std::span<const std::string_view> items) {
  return {items.begin(), items.end()};
}

// The consumer's pending entries from `after` on (XREADGROUP with an ID): each delivered again.
void read_history(CommandContext& ctx, store::StreamValue& value, store::StreamGroup& group,
                  store::StreamConsumer& consumer, StreamId after, int64_t count, StreamOut& out) {
  const auto start = after.next();
  if (!start) return;
  const int64_t now = now_ms(ctx);
  for (auto it = consumer.pending.lower_bound(*start); it != consumer.pending.end(); ++it) {
    if (count != 0 && static_cast<int64_t>(out.entries.size()) >= count) break;
    EntryOut entry{*it, true, {}};
    value.state().log.range(*it, *it, false,
                            [&](StreamId, std::span<const std::string_view> items) {
                              entry.missing = false;
                              entry.items = copy_items(items);
                              return false;
                            });
    if (!entry.missing) {
      store::StreamPending& pending = group.pending.at(*it);
      pending.delivery_time_ms = now;
      ++pending.delivery_count;
    }
    out.entries.push_back(std::move(entry));
  }
}

// Entries never delivered to the group, after its last ID: delivered now to `consumer`.
void read_new(CommandContext& ctx, std::string_view key, store::StreamValue& value,
              std::string_view group_name, store::StreamGroup& group,
              store::StreamConsumer& consumer, int64_t count, bool noack, StreamOut& out) {
  const auto start = group.last_id.next();
  if (!start) return;
  const int64_t now = now_ms(ctx);
  bool moved = false;
  std::vector<StreamId> delivered;
  value.state().log.range(*start, StreamId::max(), false,
                          [&](StreamId id, std::span<const std::string_view> items) {
                            if (id > group.last_id) {
                              if (group.entries_read != store::stream_entries_read_unknown &&
                                  !value.range_has_tombstones(id, StreamId::max())) {
                                ++group.entries_read;
                              } else if (value.state().entries_added != 0) {
                                group.entries_read = value.estimate_entries_read(id);
                              }
                              group.last_id = id;
                              moved = true;
                            }
                            out.entries.push_back(EntryOut{id, false, copy_items(items)});
                            if (!noack) delivered.push_back(id);
                            return count == 0 || static_cast<int64_t>(out.entries.size()) < count;
                          });
  for (StreamId id : delivered) {
    const store::StreamPending& pending = group.deliver(id, consumer, now);
    propagate_claim(ctx, key, group_name, group, id, pending);
  }
  if (moved) propagate_group_position(ctx, key, group_name, group);
}

// Plain XREAD: entries after `after`.
void read_after(store::StreamValue& value, StreamId after, int64_t count, StreamOut& out) {
  const auto start = after.next();
  if (!start) return;
  value.state().log.range(*start, StreamId::max(), false,
                          [&](StreamId id, std::span<const std::string_view> items) {
                            out.entries.push_back(EntryOut{id, false, copy_items(items)});
                            return count == 0 || static_cast<int64_t>(out.entries.size()) < count;
                          });
}

void reply_streams(CommandContext& ctx, const std::vector<StreamOut>& streams) {
  const bool resp3 = ctx.client.resp_version >= 3;
  if (resp3) {
    ctx.reply.map(streams.size());
  } else {
    ctx.reply.array(streams.size());
  }
  for (const StreamOut& stream : streams) {
    if (!resp3) ctx.reply.array(2);
    ctx.reply.bulk(stream.key);
    ctx.reply.array(stream.entries.size());
    for (const EntryOut& entry : stream.entries) {
      if (entry.missing) {
        ctx.reply.array(2);
        reply_id(ctx, entry.id);
        ctx.reply.null_array();
        continue;
      }
      std::vector<std::string_view> items(entry.items.begin(), entry.items.end());
      reply_entry(ctx, entry.id, items);
    }
  }
}

// The consumer of a group read, made if new (notified and propagated as XGROUP CREATECONSUMER).
store::StreamConsumer& group_consumer(CommandContext& ctx, std::string_view key,
                                      const ReadRequest& request, store::StreamGroup& group) {
  bool created = false;
  const int64_t now = now_ms(ctx);
  store::StreamConsumer& consumer = group.consumer(request.consumer, now, &created);
  consumer.seen_time_ms = now;
  if (created) {
    notify(ctx, "xgroup-createconsumer", key);
    ctx.server.propagation().replace_with(
        {"XGROUP", "CREATECONSUMER", key, request.group, request.consumer});
  }
  return consumer;
}

// Serves stream `s` of the request if there is something for it; true when it did.
bool serve_one(CommandContext& ctx, const ReadRequest& request, size_t s, int64_t count,
               std::vector<StreamOut>& out) {
  const std::string_view key = request.keys[s];
  const Lookup lookup = find_read(ctx, key);
  if (!lookup.ok || lookup.value == nullptr) return false;
  store::StreamValue& value = *lookup.value;
  StreamId after = request.ids[s];
  if (!request.group_mode) {
    if (value.size() == 0 || value.last_live_id() <= after) return false;
    out.push_back(StreamOut{std::string(key), {}});
    read_after(value, after, count, out.back());
    return true;
  }
  store::StreamGroup* group = value.find_group(request.group);
  if (group == nullptr) return false;
  const bool history = !is_new_marker(after);
  if (!history && (value.size() == 0 || value.last_live_id() <= group->last_id)) return false;
  store::StreamConsumer& consumer = group_consumer(ctx, key, request, *group);
  out.push_back(StreamOut{std::string(key), {}});
  if (history) {
    read_history(ctx, value, *group, consumer, after, count, out.back());
  } else {
    read_new(ctx, key, value, request.group, *group, consumer, count, request.noack, out.back());
  }
  ctx.server.keyspace().collection_written(lookup.entry);
  ctx.server.key_modified(key);
  return true;
}

// The serve function of a blocked reader, for a key made ready.
ServeResult serve_blocked(CommandContext& ctx, const ReadRequest& request, std::string_view ready) {
  store::Entry* entry = ctx.server.keyspace().find_write(ready);
  const bool is_stream = entry != nullptr && entry->type() == store::ValueType::stream;
  const int64_t count =
      request.count != 0 ? request.count : constants::stream_blocked_read_count_default;
  for (size_t s = 0; s < request.keys.size(); ++s) {
    if (request.keys[s] != ready) continue;
    if (request.group_mode) {
      if (!is_stream) {
        ctx.reply.error("UNBLOCKED the stream key no longer exists");
        return ServeResult::served;
      }
      auto* value = static_cast<store::StreamValue*>(entry->collection());
      if (value->find_group(request.group) == nullptr) {
        ctx.reply.error("NOGROUP the consumer group this client was blocked on no longer exists");
        return ServeResult::served;
      }
    }
    if (!is_stream) return ServeResult::skipped;
    begin_served_unit(ctx, {ready});
    std::vector<StreamOut> out;
    if (!serve_one(ctx, request, s, count, out) || out.front().entries.empty()) {
      return ServeResult::skipped;
    }
    reply_streams(ctx, out);
    return ServeResult::served;
  }
  return ServeResult::skipped;
}

void read_generic(CommandContext& ctx, bool group_mode) {
  ReadRequest request;
  request.group_mode = group_mode;
  const size_t keys_at = parse_options(ctx, request);
  if (keys_at == 0) return;
  if (group_mode && !request.group_given) {
    return ctx.reply.error("ERR Missing GROUP option for XREADGROUP");
  }
  if (!parse_streams(ctx, keys_at, request)) return;
  // A group read is propagated only through what it records (claims, the group's position).
  if (group_mode) ctx.server.propagation().replace_with_nothing();
  std::vector<StreamOut> out;
  for (size_t s = 0; s < request.keys.size(); ++s) serve_one(ctx, request, s, request.count, out);
  if (!out.empty()) return reply_streams(ctx, out);
  if (!request.block || !may_block(ctx)) return ctx.reply.null_array();
  // A blocked group reader waits for entries after the group's last ID, whatever it becomes.
  // A key named twice is waited on once (the first of its IDs counts, as in Redis).
  std::vector<std::string_view> keys;
  for (std::string_view key : request.keys) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  }
  block_on_keys(ctx, keys, request.deadline, [&ctx, request](std::string_view ready) {
    return serve_blocked(ctx, request, ready);
  });
}

}  // namespace

// XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
void xread_command(CommandContext& ctx) { read_generic(ctx, false); }

// XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key ... id ...
void xreadgroup_command(CommandContext& ctx) { read_generic(ctx, true); }

std::vector<int> xread_keys(std::span<const std::string_view> argv) {
  for (size_t i = 1; i < argv.size(); ++i) {
    if (option_is(argv[i], "STREAMS")) {
      const size_t streams = (argv.size() - i - 1) / 2;
      std::vector<int> keys;
      for (size_t k = 0; k < streams; ++k) keys.push_back(static_cast<int>(i + 1 + k));
      return keys;
    }
    if (option_is(argv[i], "GROUP"))
      i += 2;
    else if (option_is(argv[i], "COUNT") || option_is(argv[i], "BLOCK"))
      ++i;
  }
  return {};
}

}  // namespace ringcache::commands::stream
