// Sorted set ranges: ZRANGE in all its forms (by rank, score or lex; REV; LIMIT; WITHSCORES),
// ZRANGESTORE, the older ZRANGEBYSCORE/ZREVRANGE... commands, ZCOUNT, ZLEXCOUNT and
// ZREMRANGEBY*. Every range is turned into ascending ranks [start, end) of the set first, so
// the encodings are never looked at here.

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "core/commands/arguments.h"
#include "core/commands/zset/zset_family.h"
#include "core/server/server.h"

namespace ringcache::commands::zset {
namespace {

enum class RangeType { unset, rank, score, lex };
enum class Direction { unset, forward, reverse };

// Redis' rank window: negative indexes count from the end, then clamp; nullopt when empty.
std::optional<std::pair<size_t, size_t>> rank_window(int64_t start, int64_t end, size_t size) {
  const auto length = static_cast<int64_t>(size);
  if (start < 0) start += length;
  if (end < 0) end += length;
  if (start < 0) start = 0;
  if (start > end || start >= length) return std::nullopt;
  if (end >= length) end = length - 1;
  return std::pair<size_t, size_t>{static_cast<size_t>(start), static_cast<size_t>(end) + 1};
}

// The ranks a parsed range selects: which ascending ranks, and whether to walk them backwards.
struct Selection {
  size_t start = 0;
  size_t end = 0;
  bool reverse = false;
};

// Applies LIMIT offset count to the ranks [start, end) walked in the given direction. A negative
// offset selects nothing and a negative count means "all", as in Redis.
Selection apply_limit(size_t start, size_t end, bool reverse, int64_t offset, int64_t limit) {
  Selection none{start, start, reverse};
  if (offset < 0 || static_cast<uint64_t>(offset) >= end - start) return none;
  const auto skip = static_cast<size_t>(offset);
  const size_t available = end - start - skip;
  const size_t take =
      limit < 0 ? available : std::min(available, static_cast<size_t>(limit));
  if (reverse) return {end - skip - take, end - skip, true};
  return {start + skip, start + skip + take, false};
}

struct RangeArgs {
  RangeType type = RangeType::unset;
  Direction direction = Direction::unset;
  bool withscores = false;
  int64_t offset = 0;
  int64_t limit = -1;
};

// The option words after "key min max", as Redis' zrangeGenericCommand reads them. Returns false
// after replying an error.
bool parse_range_options(CommandContext& ctx, size_t first, bool store, RangeArgs& args) {
  for (size_t j = first; j < ctx.argv.size(); ++j) {
    const std::string_view arg = ctx.argv[j];
    const size_t left = ctx.argv.size() - j - 1;
    if (!store && option_is(arg, "WITHSCORES")) {
      args.withscores = true;
    } else if (option_is(arg, "LIMIT") && left >= 2) {
      const auto offset = int64_or_reply(ctx, ctx.argv[j + 1]);
      if (!offset) return false;
      const auto limit = int64_or_reply(ctx, ctx.argv[j + 2]);
      if (!limit) return false;
      args.offset = *offset;
      args.limit = *limit;
      j += 2;
    } else if (args.direction == Direction::unset && option_is(arg, "REV")) {
      args.direction = Direction::reverse;
    } else if (args.type == RangeType::unset && option_is(arg, "BYLEX")) {
      args.type = RangeType::lex;
    } else if (args.type == RangeType::unset && option_is(arg, "BYSCORE")) {
      args.type = RangeType::score;
    } else {
      ctx.reply.error(errors::syntax);
      return false;
    }
  }
  if (args.direction == Direction::unset) args.direction = Direction::forward;
  if (args.type == RangeType::unset) args.type = RangeType::rank;
  if (args.limit != -1 && args.type == RangeType::rank) {
    ctx.reply.error(
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
    return false;
  }
  if (args.withscores && args.type == RangeType::lex) {
    ctx.reply.error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    return false;
  }
  return true;
}

// A parsed range bound to whatever set it will select from.
struct ParsedRange {
  int64_t first = 0;
  int64_t last = 0;
  ScoreRange score;
  LexRange lex;
};

std::optional<ParsedRange> parse_range(CommandContext& ctx, RangeType type, std::string_view min,
                                       std::string_view max) {
  ParsedRange parsed;
  if (type == RangeType::rank) {
    const auto first = int64_or_reply(ctx, min);
    if (!first) return std::nullopt;
    const auto last = int64_or_reply(ctx, max);
    if (!last) return std::nullopt;
    parsed.first = *first;
    parsed.last = *last;
  } else if (type == RangeType::score) {
    const auto range = parse_score_range(min, max);
    if (!range) {
      ctx.reply.error(range_not_float);
      return std::nullopt;
    }
    parsed.score = *range;
  } else {
    const auto range = parse_lex_range(min, max);
    if (!range) {
      ctx.reply.error(range_not_lex);
      return std::nullopt;
    }
    parsed.lex = *range;
  }
  return parsed;
}

Selection select(const store::ZsetValue& value, RangeType type, const ParsedRange& range,
                 const RangeArgs& args) {
  const bool reverse = args.direction == Direction::reverse;
  if (type == RangeType::rank) {
    const auto window = rank_window(range.first, range.last, value.size());
    if (!window) return {};
    if (!reverse) return {window->first, window->second, false};
    return {value.size() - window->second, value.size() - window->first, true};
  }
  const auto [start, end] =
      type == RangeType::score ? ranks_in(value, range.score) : ranks_in(value, range.lex);
  return apply_limit(start, end, reverse, args.offset, args.limit);
}

// ZRANGE and friends: the source key is argv[source]; a store form puts the result at argv[1].
void range_generic(CommandContext& ctx, size_t source, bool store, RangeType type,
                   Direction direction) {
  RangeArgs args;
  args.type = type;
  args.direction = direction;
  if (!parse_range_options(ctx, source + 3, store, args)) return;
  size_t min_index = source + 1;
  size_t max_index = source + 2;
  // Reversed score and lex ranges are written max first.
  if (args.direction == Direction::reverse && args.type != RangeType::rank) {
    std::swap(min_index, max_index);
  }
  const auto range = parse_range(ctx, args.type, ctx.argv[min_index], ctx.argv[max_index]);
  if (!range) return;
  const Lookup lookup = find_read(ctx, ctx.argv[source]);
  if (!lookup.ok) return;
  Selection selected;
  if (lookup.value != nullptr) selected = select(*lookup.value, args.type, *range, args);
  if (!store) {
    if (lookup.value == nullptr) return ctx.reply.empty_array();
    return reply_members(ctx, *lookup.value, selected.start, selected.end, selected.reverse,
                         args.withscores);
  }
  std::vector<Member> members;
  if (lookup.value != nullptr) {
    lookup.value->visit(selected.start, selected.end, selected.reverse,
                        [&members](std::string_view member, double score) {
                          members.push_back({std::string(member), score});
                        });
  }
  store_result(ctx, ctx.argv[1], members, "zrangestore");
}

}  // namespace

void zrange_command(CommandContext& ctx) {
  range_generic(ctx, 1, false, RangeType::unset, Direction::unset);
}
void zrangestore_command(CommandContext& ctx) {
  range_generic(ctx, 2, true, RangeType::unset, Direction::unset);
}
void zrevrange_command(CommandContext& ctx) {
  range_generic(ctx, 1, false, RangeType::rank, Direction::reverse);
}
void zrangebyscore_command(CommandContext& ctx) {
  range_generic(ctx, 1, false, RangeType::score, Direction::forward);
}
void zrevrangebyscore_command(CommandContext& ctx) {
  range_generic(ctx, 1, false, RangeType::score, Direction::reverse);
}
void zrangebylex_command(CommandContext& ctx) {
  range_generic(ctx, 1, false, RangeType::lex, Direction::forward);
}
void zrevrangebylex_command(CommandContext& ctx) {
  range_generic(ctx, 1, false, RangeType::lex, Direction::reverse);
}

// --- counting and removing -------------------------------------------------------------------

namespace {

void count_generic(CommandContext& ctx, RangeType type) {
  const auto range = parse_range(ctx, type, ctx.argv[2], ctx.argv[3]);
  if (!range) return;
  const Lookup lookup = find_read(ctx, ctx.argv[1]);
  if (!lookup.ok) return;
  if (lookup.value == nullptr) return ctx.reply.integer(0);
  const auto [start, end] = type == RangeType::score ? ranks_in(*lookup.value, range->score)
                                                     : ranks_in(*lookup.value, range->lex);
  ctx.reply.integer(static_cast<int64_t>(end - start));
}

void remove_range_generic(CommandContext& ctx, RangeType type, std::string_view event) {
  const auto range = parse_range(ctx, type, ctx.argv[2], ctx.argv[3]);
  if (!range) return;
  const std::string_view key = ctx.argv[1];
  const Lookup lookup = find_write(ctx, key);
  if (!lookup.ok) return;
  if (lookup.value == nullptr) return ctx.reply.integer(0);
  RangeArgs forward;
  forward.direction = Direction::forward;
  const Selection selected = select(*lookup.value, type, *range, forward);
  const size_t removed = selected.end - selected.start;
  ctx.reply.integer(static_cast<int64_t>(removed));
  if (removed == 0) return;
  lookup.value->remove_range(selected.start, selected.end);
  written(ctx, lookup, key, event);
}

}  // namespace

void zcount_command(CommandContext& ctx) { count_generic(ctx, RangeType::score); }
void zlexcount_command(CommandContext& ctx) { count_generic(ctx, RangeType::lex); }

void zremrangebyrank_command(CommandContext& ctx) {
  remove_range_generic(ctx, RangeType::rank, "zremrangebyrank");
}
void zremrangebyscore_command(CommandContext& ctx) {
  remove_range_generic(ctx, RangeType::score, "zremrangebyscore");
}
void zremrangebylex_command(CommandContext& ctx) {
  remove_range_generic(ctx, RangeType::lex, "zremrangebylex");
}

}  // namespace ringcache::commands::zset
