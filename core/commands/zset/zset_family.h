#pragma once
// What the sorted set command files (zsets.cpp, zsets_range.cpp, zsets_setops.cpp,
// zsets_pop.cpp) share: lookups, Redis 7.0's score and range parsing, replies of members with
// scores, and the bookkeeping after a write. Internal to the family.

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/commands/command.h"
#include "core/store/entry.h"
#include "core/store/zset_value.h"

namespace ringcache::commands::zset {

inline constexpr std::string_view range_not_float = "ERR min or max is not a float";
inline constexpr std::string_view range_not_lex = "ERR min or max not valid string range item";
inline constexpr std::string_view nan_score = "ERR resulting score is not a number (NaN)";

// A sorted set found by key: `ok` is false after a WRONGTYPE reply; `value` is null when the
// key is absent.
struct Lookup {
  bool ok = true;
  store::Entry* entry = nullptr;
  store::ZsetValue* value = nullptr;
};
Lookup find_read(CommandContext& ctx, std::string_view key);
Lookup find_write(CommandContext& ctx, std::string_view key);

// A new empty sorted set for this node (its hash seed drawn from the node's generator).
std::unique_ptr<store::ZsetValue> make_value(CommandContext& ctx, bool full = false);

// After changing the set of `lookup`: accounts it, tells WATCH/AOF, notifies `event` (zset
// class) and "del" when the set became empty and went away. Returns whether it went away.
bool written(CommandContext& ctx, const Lookup& lookup, std::string_view key,
             std::string_view event);

// A score as Redis' getDoubleFromObject reads it: strtod over the whole text, no leading space,
// no NaN, no overflow or underflow to zero.
std::optional<double> parse_score(std::string_view text);
std::optional<double> score_or_reply(CommandContext& ctx, std::string_view text,
                                     std::string_view error);

// A bound of a ZRANGEBYSCORE-like range: "(" makes it exclusive; "inf"/"-inf" accepted.
struct ScoreRange {
  double min = 0;
  double max = 0;
  bool min_exclusive = false;
  bool max_exclusive = false;
};
std::optional<ScoreRange> parse_score_range(std::string_view min, std::string_view max);

// A ZRANGEBYLEX range: "-" and "+" are the ends, "[x" inclusive, "(x" exclusive.
struct LexBound {
  enum class Kind { minus, plus, inclusive, exclusive } kind = Kind::minus;
  std::string_view value;
};
struct LexRange {
  LexBound min;
  LexBound max;
};
std::optional<LexRange> parse_lex_range(std::string_view min, std::string_view max);

// Ranks [start, end) of the members inside a range (start >= end: none).
std::pair<size_t, size_t> ranks_in(const store::ZsetValue& value, const ScoreRange& range);
std::pair<size_t, size_t> ranks_in(const store::ZsetValue& value, const LexRange& range);

// Replies ranks [start, end) as Redis' ZRANGE does: members, each followed by its score when
// `withscores` (RESP3: [member, score] pairs). `reverse` replies from end-1 down.
void reply_members(CommandContext& ctx, const store::ZsetValue& value, size_t start, size_t end,
                   bool reverse, bool withscores);

// Sorted set contents built outside a value (ZRANGESTORE, ZUNIONSTORE, ...).
struct Member {
  std::string member;
  double score = 0;
};
// A value holding `members` (distinct), in the encoding Redis would give the result.
std::unique_ptr<store::ZsetValue> value_from(CommandContext& ctx,
                                             const std::vector<Member>& members);
// Stores a computed result at `key` as the *STORE commands do (empty: deletes `key`), replies its
// size, and notifies `event` (or "del" for an emptied key).
void store_result(CommandContext& ctx, std::string_view key, const std::vector<Member>& members,
                  std::string_view event);

// Handlers, one per command, registered by zsets.cpp.
void zadd_command(CommandContext& ctx);
void zincrby_command(CommandContext& ctx);
void zrem_command(CommandContext& ctx);
void zcard_command(CommandContext& ctx);
void zscore_command(CommandContext& ctx);
void zmscore_command(CommandContext& ctx);
void zrank_command(CommandContext& ctx);
void zrevrank_command(CommandContext& ctx);
void zrandmember_command(CommandContext& ctx);
void zscan_command(CommandContext& ctx);

void zcount_command(CommandContext& ctx);
void zlexcount_command(CommandContext& ctx);
void zrange_command(CommandContext& ctx);
void zrangestore_command(CommandContext& ctx);
void zrevrange_command(CommandContext& ctx);
void zrangebyscore_command(CommandContext& ctx);
void zrevrangebyscore_command(CommandContext& ctx);
void zrangebylex_command(CommandContext& ctx);
void zrevrangebylex_command(CommandContext& ctx);
void zremrangebyrank_command(CommandContext& ctx);
void zremrangebyscore_command(CommandContext& ctx);
void zremrangebylex_command(CommandContext& ctx);

// How a pop replies: ZPOPMIN [member, score, ...] (flat; RESP3 with a count: pairs); ZMPOP and
// BZMPOP [key, [[member, score], ...]]; BZPOPMIN [key, member, score].
enum class PopShape { flat, pairs, key_and_pairs, key_member_score };
// Pops up to `count` members of the set of `lookup` (present, not empty) at `key` from the low
// end (the high end when `max`), replies them in `shape`, and does the write's bookkeeping.
// Returns how many it took.
size_t pop_members(CommandContext& ctx, const Lookup& lookup, std::string_view key, bool max,
                   size_t count, PopShape shape);
// pop_members, then propagates the pop as Redis 7.0 does for ZMPOP and the blocking pops:
// ZPOPMIN/ZPOPMAX key, with the number taken when a `count` was asked (else one is popped).
void pop_and_propagate(CommandContext& ctx, const Lookup& lookup, std::string_view key, bool max,
                       std::optional<size_t> count, PopShape shape);

// ZMPOP/BZMPOP's numkeys key [key ...] MIN|MAX [COUNT count], numkeys at argv[numkeys_at]:
// nullopt after replying Redis' error.
struct MultiPop {
  std::span<const std::string_view> keys;
  bool max = false;
  size_t count = 1;
};
std::optional<MultiPop> parse_multi_pop(CommandContext& ctx, size_t numkeys_at);
// Their key finder.
std::vector<int> multi_pop_keys(std::span<const std::string_view> argv, size_t numkeys_at);

void zpopmin_command(CommandContext& ctx);
void zpopmax_command(CommandContext& ctx);
void zmpop_command(CommandContext& ctx);
std::vector<int> zmpop_keys(std::span<const std::string_view> argv);
void bzpopmin_command(CommandContext& ctx);
void bzpopmax_command(CommandContext& ctx);
void bzmpop_command(CommandContext& ctx);
std::vector<int> bzmpop_keys(std::span<const std::string_view> argv);

void zunion_command(CommandContext& ctx);
void zinter_command(CommandContext& ctx);
void zdiff_command(CommandContext& ctx);
void zunionstore_command(CommandContext& ctx);
void zinterstore_command(CommandContext& ctx);
void zdiffstore_command(CommandContext& ctx);
void zintercard_command(CommandContext& ctx);
std::vector<int> numkeys_at_1_keys(std::span<const std::string_view> argv);
std::vector<int> store_numkeys_at_2_keys(std::span<const std::string_view> argv);

}  // namespace ringcache::commands::zset
