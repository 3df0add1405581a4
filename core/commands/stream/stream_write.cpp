// The stream commands that add, delete and count entries: XADD, XTRIM, XDEL, XLEN, XSETID
// (t_stream.c in Redis 7.0), with its replies, errors, notifications and propagated forms.

#include <string>
#include <vector>

#include "core/commands/arguments.h"
#include "core/commands/stream/stream_family.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"

namespace ringcache::commands::stream {
namespace {

constexpr std::string_view id_too_small =
    "ERR The ID specified in XADD is equal or smaller than the target stream top item";

// The ID XADD gives its entry; nullopt after replying (the stream is not changed).
std::optional<StreamId> new_entry_id(CommandContext& ctx, const store::StreamState* state,
                                     const TrimArgs& args) {
  const StreamId last = state == nullptr ? StreamId::min() : state->last_id;
  if (last == StreamId::max()) {
    ctx.reply.error("ERR The stream has exhausted the last possible ID, unable to add more items");
    return std::nullopt;
  }
  StreamId id;
  if (args.id_given && args.id.seq_given) {
    id = args.id.id;
  } else if (args.id_given) {
    if (last.ms == args.id.id.ms) {
      if (last.seq == UINT64_MAX) {
        ctx.reply.error(id_too_small);
        return std::nullopt;
      }
      id = StreamId{last.ms, last.seq + 1};
    } else {
      id = StreamId{args.id.id.ms, 0};
    }
  } else {
    const auto now = static_cast<uint64_t>(now_ms(ctx));
    id = now > last.ms ? StreamId{now, 0} : *last.next();
  }
  if (id <= last) {
    ctx.reply.error(id_too_small);
    return std::nullopt;
  }
  return id;
}

// XADD key [NOMKSTREAM] [MAXLEN|MINID = threshold] id field value ...: what a replay needs.
void propagate_xadd(CommandContext& ctx, const TrimArgs& args, const store::StreamValue& value,
                    StreamId id) {
  std::vector<std::string> argv{"XADD", std::string(ctx.argv[1])};
  if (args.no_mkstream) argv.emplace_back("NOMKSTREAM");
  if (args.trim.strategy != store::StreamTrim::Strategy::none) {
    if (args.trim.approximate) {
      for (auto& word : exact_trim_words(args, value)) argv.push_back(std::move(word));
    } else {
      const bool maxlen = args.trim.strategy == store::StreamTrim::Strategy::maxlen;
      argv.emplace_back(maxlen ? "MAXLEN" : "MINID");
      argv.emplace_back("=");
      argv.emplace_back(ctx.argv[args.threshold_at]);
    }
  }
  argv.push_back(id.to_string());
  for (size_t i = args.id_at + 1; i < ctx.argv.size(); ++i) argv.emplace_back(ctx.argv[i]);
  std::vector<std::string_view> views(argv.begin(), argv.end());
  ctx.server.propagation().replace_with(views);
}

}  // namespace

// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value ...
void xadd_command(CommandContext& ctx) {
  const auto args = parse_trim_args(ctx, true);
  if (!args) return;
  const size_t fields_at = args->id_at + 1;
  if (fields_at > ctx.argv.size() || ctx.argv.size() - fields_at < 2 ||
      (ctx.argv.size() - fields_at) % 2 == 1) {
    return ctx.reply.error(errors::wrong_arguments("xadd"));
  }
  if (args->id_given && args->id.seq_given && args->id.id.is_zero()) {
    return ctx.reply.error("ERR The ID specified in XADD must be greater than 0-0");
  }
  Lookup lookup = find_write(ctx, ctx.argv[1]);
  if (!lookup.ok) return;
  if (lookup.value == nullptr && args->no_mkstream) return ctx.reply.null();
  const auto id = new_entry_id(ctx, lookup.value ? &lookup.value->state() : nullptr, *args);
  if (!id) return;
  if (lookup.value == nullptr) lookup = create(ctx, ctx.argv[1]);
  lookup.value->add(*id, ctx.argv.subspan(fields_at), block_limits(ctx));
  reply_id(ctx, *id);
  notify(ctx, "xadd", ctx.argv[1]);
  if (lookup.value->trim(args->trim) != 0) notify(ctx, "xtrim", ctx.argv[1]);
  propagate_xadd(ctx, *args, *lookup.value, *id);
  written(ctx, lookup, ctx.argv[1], "");
}

// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]
void xtrim_command(CommandContext& ctx) {
  const auto args = parse_trim_args(ctx, false);
  if (!args) return;
  const Lookup lookup = find_write(ctx, ctx.argv[1]);
  if (!lookup.ok) return;
  if (lookup.value == nullptr) return ctx.reply.integer(0);
  const uint64_t removed = lookup.value->trim(args->trim);
  if (removed != 0) {
    if (args->trim.approximate) {
      std::vector<std::string> argv{"XTRIM", std::string(ctx.argv[1])};
      for (auto& word : exact_trim_words(*args, *lookup.value)) argv.push_back(std::move(word));
      std::vector<std::string_view> views(argv.begin(), argv.end());
      ctx.server.propagation().replace_with(views);
    }
    written(ctx, lookup, ctx.argv[1], "xtrim");
  }
  ctx.reply.integer(static_cast<int64_t>(removed));
}

// XDEL key id [id ...]
void xdel_command(CommandContext& ctx) {
  const Lookup lookup = find_write(ctx, ctx.argv[1]);
  if (!lookup.ok) return;
  if (lookup.value == nullptr) return ctx.reply.integer(0);
  std::vector<StreamId> ids;
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    const auto id = id_or_reply(ctx, ctx.argv[i]);
    if (!id) return;
    ids.push_back(*id);
  }
  int64_t deleted = 0;
  for (StreamId id : ids) deleted += lookup.value->erase(id) ? 1 : 0;
  if (deleted != 0) written(ctx, lookup, ctx.argv[1], "xdel");
  ctx.reply.integer(deleted);
}

// XLEN key
void xlen_command(CommandContext& ctx) {
  const Lookup lookup = find_read(ctx, ctx.argv[1]);
  if (!lookup.ok) return;
  ctx.reply.integer(lookup.value == nullptr ? 0 : static_cast<int64_t>(lookup.value->size()));
}

// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
void xsetid_command(CommandContext& ctx) {
  const auto id = id_or_reply(ctx, ctx.argv[2]);
  if (!id) return;
  int64_t entries_added = -1;
  StreamId max_deleted;
  for (size_t i = 3; i < ctx.argv.size(); i += 2) {
    const bool more = i + 1 < ctx.argv.size();
    if (option_is(ctx.argv[i], "ENTRIESADDED") && more) {
      const auto value = int64_or_reply(ctx, ctx.argv[i + 1]);
      if (!value) return;
      if (*value < 0) return ctx.reply.error("ERR entries_added must be positive");
      entries_added = *value;
    } else if (option_is(ctx.argv[i], "MAXDELETEDID") && more) {
      const auto value = id_or_reply(ctx, ctx.argv[i + 1]);
      if (!value) return;
      if (*id < *value) {
        return ctx.reply.error(
            "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
      }
      max_deleted = *value;
    } else {
      return ctx.reply.error(errors::syntax);
    }
  }
  const Lookup lookup = find_write(ctx, ctx.argv[1]);
  if (!lookup.ok) return;
  if (lookup.value == nullptr) return ctx.reply.error(errors::no_such_key);
  store::StreamState& state = lookup.value->state();
  if (*id < state.max_deleted_id) {
    return ctx.reply.error(
        "ERR The ID specified in XSETID is smaller than current max_deleted_entry_id");
  }
  if (state.log.size() > 0) {
    if (*id < lookup.value->last_live_id()) {
      return ctx.reply.error(
          "ERR The ID specified in XSETID is smaller than the target stream top item");
    }
    if (entries_added != -1 && state.log.size() > static_cast<uint64_t>(entries_added)) {
      return ctx.reply.error(
          "ERR The entries_added specified in XSETID is smaller than the target stream length");
    }
  }
  state.last_id = *id;
  if (entries_added != -1) state.entries_added = static_cast<uint64_t>(entries_added);
  if (!max_deleted.is_zero()) state.max_deleted_id = max_deleted;
  ctx.reply.ok();
  written(ctx, lookup, ctx.argv[1], "xsetid");
}

}  // namespace ringcache::commands::stream
