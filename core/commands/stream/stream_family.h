#pragma once
// What the stream command files share: lookups, ID arguments with Redis 7.0's error words, the
// reply of entries, trimming arguments, and the bookkeeping after a write. Internal to the
// family (streams.cpp registers the commands).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/commands/command.h"
#include "core/store/entry.h"
#include "core/store/stream_value.h"

namespace ringcache::commands::stream {

using store::StreamId;

inline constexpr std::string_view invalid_id =
    "ERR Invalid stream ID specified as stream command argument";

// A stream found by key: `ok` is false after a WRONGTYPE reply; `value` is null when absent.
struct Lookup {
  bool ok = true;
  store::Entry* entry = nullptr;
  store::StreamValue* value = nullptr;
};
Lookup find_read(CommandContext& ctx, std::string_view key);
Lookup find_write(CommandContext& ctx, std::string_view key);
// Adds an empty stream at `key` (absent).
Lookup create(CommandContext& ctx, std::string_view key);

// An ID argument (strict: "-" and "+" refused), replying the error on bad input.
std::optional<StreamId> id_or_reply(CommandContext& ctx, std::string_view text,
                                    uint64_t missing_seq = 0, bool strict = true);

// [id, [field, value, ...]].
void reply_entry(CommandContext& ctx, StreamId id, std::span<const std::string_view> items);
void reply_id(CommandContext& ctx, StreamId id);
// Redis' error for a bad subcommand or arity of XINFO / XGROUP (`container`).
void reply_subcommand_syntax_error(CommandContext& ctx, std::string_view container);

// After changing the stream of `lookup`: accounts it and tells WATCH, blocked readers and the
// AOF; `event` (stream class) is notified unless empty.
void written(CommandContext& ctx, const Lookup& lookup, std::string_view key,
             std::string_view event);
void notify(CommandContext& ctx, std::string_view event, std::string_view key);

store::StreamBlockLimits block_limits(CommandContext& ctx);
// The time stream commands stamp IDs, deliveries and consumers with: the command's time, or
// while the AOF loads (its keyspace clock held at 0 so nothing expires) the wall clock.
int64_t now_ms(CommandContext& ctx);

// XADD/XTRIM trimming options (Redis' streamParseAddOrTrimArgsOrReply).
struct TrimArgs {
  store::StreamTrim trim;
  size_t threshold_at = 0;  // argv index of the MAXLEN/MINID threshold
  // XADD only:
  bool no_mkstream = false;
  size_t id_at = 0;  // argv index of the ID (argc when missing)
  bool id_given = false;
  store::ParsedStreamId id;
};
// Parses from argv[2]; `xadd` stops at the ID. nullopt after replying an error.
std::optional<TrimArgs> parse_trim_args(CommandContext& ctx, bool xadd);
// The trimming words to propagate after an approximate trim: "MAXLEN = <length>" or
// "MINID = <first ID>" as the stream now stands, so a replay trims the same entries (with no
// LIMIT, whatever the node sizes of the replaying server).
std::vector<std::string> exact_trim_words(const TrimArgs& args, const store::StreamValue& value);

// Handlers.
void xadd_command(CommandContext& ctx);
void xtrim_command(CommandContext& ctx);
void xdel_command(CommandContext& ctx);
void xlen_command(CommandContext& ctx);
void xsetid_command(CommandContext& ctx);
void xrange_command(CommandContext& ctx);
void xrevrange_command(CommandContext& ctx);
void xread_command(CommandContext& ctx);
void xreadgroup_command(CommandContext& ctx);
std::vector<int> xread_keys(std::span<const std::string_view> argv);
void xgroup_create_command(CommandContext& ctx);
void xgroup_setid_command(CommandContext& ctx);
void xgroup_destroy_command(CommandContext& ctx);
void xgroup_createconsumer_command(CommandContext& ctx);
void xgroup_delconsumer_command(CommandContext& ctx);
void xgroup_help_command(CommandContext& ctx);
void xack_command(CommandContext& ctx);
void xpending_command(CommandContext& ctx);
void xclaim_command(CommandContext& ctx);
void xautoclaim_command(CommandContext& ctx);
void xinfo_stream_command(CommandContext& ctx);
void xinfo_groups_command(CommandContext& ctx);
void xinfo_consumers_command(CommandContext& ctx);
void xinfo_help_command(CommandContext& ctx);

// Group helpers shared by XREADGROUP, XCLAIM and XGROUP.
// "NOGROUP No such key 'k' or consumer group 'g'..." as each command words it.
std::string no_group_error(std::string_view key, std::string_view group, std::string_view command);
// XCLAIM key group consumer 0 id TIME ms RETRYCOUNT n FORCE JUSTID LASTID last: how a
// delivery or claim is propagated.
void propagate_claim(CommandContext& ctx, std::string_view key, std::string_view group_name,
                     const store::StreamGroup& group, StreamId id,
                     const store::StreamPending& entry);
// XGROUP SETID key group last ENTRIESREAD n.
void propagate_group_position(CommandContext& ctx, std::string_view key,
                              std::string_view group_name, const store::StreamGroup& group);

}  // namespace ringcache::commands::stream
