// The sorted set family: adding, removing and reading single members, ZRANDMEMBER, ZSCAN, and
// the registration of every Z* command. Ranges live in zsets_range.cpp, pops in zsets_pop.cpp,
// blocking pops in zsets_blocking.cpp, set operations in zsets_setops.cpp. Replies and errors
// are Redis 7.0's (t_zset.c), checked against redis-server by
// tests/process/difflib_family_zsets.py.

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>
#include <vector>

#include "core/commands/arguments.h"
#include "core/commands/scan_options.h"
#include "core/commands/spec_builder.h"
#include "core/commands/zset/zset_family.h"
#include "core/constants.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"

namespace ringcache::commands {
namespace zset {
namespace {

// --- ZADD / ZINCRBY --------------------------------------------------------------------------

struct AddFlags {
  bool nx = false;
  bool xx = false;
  bool gt = false;
  bool lt = false;
  bool ch = false;
  bool incr = false;
};

bool take_add_flag(std::string_view arg, AddFlags& flags) {
  if (option_is(arg, "NX")) return flags.nx = true;
  if (option_is(arg, "XX")) return flags.xx = true;
  if (option_is(arg, "GT")) return flags.gt = true;
  if (option_is(arg, "LT")) return flags.lt = true;
  if (option_is(arg, "CH")) return flags.ch = true;
  if (option_is(arg, "INCR")) return flags.incr = true;
  return false;
}

// Refuses flag combinations as Redis does, in its order; true when they are fine.
bool add_flags_valid(CommandContext& ctx, const AddFlags& flags, size_t elements) {
  if (flags.nx && flags.xx) {
    ctx.reply.error("ERR XX and NX options at the same time are not compatible");
    return false;
  }
  if ((flags.gt && flags.nx) || (flags.lt && flags.nx) || (flags.gt && flags.lt)) {
    ctx.reply.error("ERR GT, LT, and/or NX options at the same time are not compatible");
    return false;
  }
  if (flags.incr && elements > 1) {
    ctx.reply.error("ERR INCR option supports a single increment-element pair");
    return false;
  }
  return true;
}

struct AddCounts {
  size_t added = 0;
  size_t updated = 0;
  size_t processed = 0;
  double last_score = 0;
  bool nan = false;
};

// One (score, member) pair of ZADD, as Redis' zsetAdd; the member is looked up once.
void add_one(CommandContext& ctx, store::ZsetValue& value, const AddFlags& flags, double score,
             std::string_view member, AddCounts& counts) {
  const auto decide = [&](std::optional<double> current) -> std::optional<double> {
    if (!current) {
      if (flags.xx) return std::nullopt;
    } else {
      if (flags.nx) return std::nullopt;
      if (flags.incr) {
        score += *current;
        if (std::isnan(score)) {
          counts.nan = true;
          return std::nullopt;
        }
      }
      if ((flags.lt && score >= *current) || (flags.gt && score <= *current)) return std::nullopt;
    }
    ++counts.processed;
    counts.last_score = score;
    if (current && score == *current) return std::nullopt;
    return score;
  };
  using Change = store::ZsetValue::Change;
  const Change change =
      value.update(member, decide, ctx.server.config().encoding, ctx.server.runtime().rng());
  if (change == Change::added) ++counts.added;
  if (change == Change::moved) ++counts.updated;
}

// ZADD and ZINCRBY (which is ZADD INCR with the flags loop still run from argv[2], as Redis).
void zadd_generic(CommandContext& ctx, bool incr) {
  AddFlags flags;
  flags.incr = incr;
  size_t first = 2;
  while (first < ctx.argv.size() && take_add_flag(ctx.argv[first], flags)) ++first;
  const size_t args = ctx.argv.size() - first;
  if (args == 0 || args % 2 != 0) return ctx.reply.error(errors::syntax);
  if (!add_flags_valid(ctx, flags, args / 2)) return;
  std::vector<double> scores;
  for (size_t i = first; i < ctx.argv.size(); i += 2) {
    const auto score = score_or_reply(ctx, ctx.argv[i], errors::not_float);
    if (!score) return;
    scores.push_back(*score);
  }
  const std::string_view key = ctx.argv[1];
  Lookup lookup = find_write(ctx, key);
  if (!lookup.ok) return;
  AddCounts counts;
  if (lookup.value == nullptr && !flags.xx) {
    const auto& limits = ctx.server.config().encoding;
    const bool full = store::ZsetValue::needs_full(1, ctx.argv[first + 1].size(), limits);
    lookup.entry = ctx.server.keyspace().add_collection(key, make_value(ctx, full));
    lookup.value = static_cast<store::ZsetValue*>(lookup.entry->collection());
  }
  for (size_t i = 0; lookup.value != nullptr && i < scores.size() && !counts.nan; ++i) {
    add_one(ctx, *lookup.value, flags, scores[i], ctx.argv[first + 2 * i + 1], counts);
  }
  if (counts.nan) {
    ctx.reply.error(nan_score);
  } else if (flags.incr) {
    if (counts.processed > 0) {
      ctx.reply.dbl(counts.last_score);
    } else {
      ctx.reply.null();
    }
  } else {
    ctx.reply.integer(static_cast<int64_t>(flags.ch ? counts.added + counts.updated
                                                    : counts.added));
  }
  if (counts.added + counts.updated > 0) written(ctx, lookup, key, flags.incr ? "zincr" : "zadd");
}

}  // namespace

void zadd_command(CommandContext& ctx) { zadd_generic(ctx, false); }
void zincrby_command(CommandContext& ctx) { zadd_generic(ctx, true); }

// --- ZREM and lookups ------------------------------------------------------------------------

void zrem_command(CommandContext& ctx) {
  const std::string_view key = ctx.argv[1];
  const Lookup lookup = find_write(ctx, key);
  if (!lookup.ok) return;
  if (lookup.value == nullptr) return ctx.reply.integer(0);
  int64_t removed = 0;
  for (size_t i = 2; i < ctx.argv.size() && lookup.value->size() > 0; ++i) {
    if (lookup.value->remove(ctx.argv[i])) ++removed;
  }
  ctx.reply.integer(removed);
  if (removed > 0) written(ctx, lookup, key, "zrem");
}

void zcard_command(CommandContext& ctx) {
  const Lookup lookup = find_read(ctx, ctx.argv[1]);
  if (!lookup.ok) return;
  ctx.reply.integer(lookup.value == nullptr ? 0 : static_cast<int64_t>(lookup.value->size()));
}

void zscore_command(CommandContext& ctx) {
  const Lookup lookup = find_read(ctx, ctx.argv[1]);
  if (!lookup.ok) return;
  const auto score = lookup.value == nullptr ? std::nullopt : lookup.value->score(ctx.argv[2]);
  if (!score) return ctx.reply.null();
  ctx.reply.dbl(*score);
}

void zmscore_command(CommandContext& ctx) {
  const Lookup lookup = find_read(ctx, ctx.argv[1]);
  if (!lookup.ok) return;
  ctx.reply.array(ctx.argv.size() - 2);
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    const auto score = lookup.value == nullptr ? std::nullopt : lookup.value->score(ctx.argv[i]);
    if (score) {
      ctx.reply.dbl(*score);
    } else {
      ctx.reply.null();
    }
  }
}

namespace {
void rank_generic(CommandContext& ctx, bool reverse) {
  const Lookup lookup = find_read(ctx, ctx.argv[1]);
  if (!lookup.ok) return;
  const auto rank = lookup.value == nullptr ? std::nullopt : lookup.value->rank(ctx.argv[2]);
  if (!rank) return ctx.reply.null();
  const size_t position = reverse ? lookup.value->size() - 1 - *rank : *rank;
  ctx.reply.integer(static_cast<int64_t>(position));
}
}  // namespace

void zrank_command(CommandContext& ctx) { rank_generic(ctx, false); }
void zrevrank_command(CommandContext& ctx) { rank_generic(ctx, true); }

// --- ZRANDMEMBER -----------------------------------------------------------------------------

namespace {

void reply_member(CommandContext& ctx, const std::pair<std::string_view, double>& member,
                  bool withscores) {
  if (withscores && ctx.reply.resp_version() >= 3) ctx.reply.array(2);
  ctx.reply.bulk(member.first);
  if (withscores) ctx.reply.dbl(member.second);
}

// `count` distinct ranks chosen uniformly (Floyd's algorithm), in ascending order.
std::vector<size_t> distinct_ranks(Rng& rng, size_t size, size_t count) {
  std::unordered_set<size_t> chosen;
  for (size_t j = size - count; j < size; ++j) {
    const size_t pick = rng.below(j + 1);
    chosen.insert(chosen.contains(pick) ? j : pick);
  }
  // Sorted, so the hash set's iteration order never reaches the reply.
  std::vector<size_t> ranks(chosen.begin(), chosen.end());
  std::sort(ranks.begin(), ranks.end());
  return ranks;
}

void zrandmember_count(CommandContext& ctx, int64_t count, bool withscores) {
  // Redis refuses counts whose reply length (with scores) would not fit a long.
  if (withscores && count < -std::numeric_limits<int64_t>::max() / 2) {
    return ctx.reply.error("ERR value is out of range");
  }
  const Lookup lookup = find_read(ctx, ctx.argv[1]);
  if (!lookup.ok) return;
  if (lookup.value == nullptr || count == 0) return ctx.reply.empty_array();
  const store::ZsetValue& value = *lookup.value;
  Rng& rng = ctx.server.runtime().rng();
  const bool pairs = withscores && ctx.reply.resp_version() >= 3;
  if (count < 0) {
    // Repeats allowed; the reply is bounded so a huge count cannot exhaust memory.
    const auto picks = static_cast<size_t>(-count);
    if (picks > constants::zrandmember_count_max) return ctx.reply.error("ERR value is out of range");
    ctx.reply.array(withscores && !pairs ? 2 * picks : picks);
    for (size_t i = 0; i < picks; ++i) reply_member(ctx, value.at(rng.below(value.size())), withscores);
    return;
  }
  if (static_cast<uint64_t>(count) >= value.size()) {
    // The whole set, highest first, as Redis replies it.
    return reply_members(ctx, value, 0, value.size(), true, withscores);
  }
  const auto ranks = distinct_ranks(rng, value.size(), static_cast<size_t>(count));
  ctx.reply.array(withscores && !pairs ? 2 * ranks.size() : ranks.size());
  for (const size_t rank : ranks) reply_member(ctx, value.at(rank), withscores);
}

}  // namespace

void zrandmember_command(CommandContext& ctx) {
  if (ctx.argv.size() >= 3) {
    const auto count = parse_int64(ctx.argv[2]);
    if (!count) return ctx.reply.error(errors::not_integer);
    if (*count == std::numeric_limits<int64_t>::min()) {
      return ctx.reply.error(
          "ERR value is out of range, value must between -9223372036854775807 and "
          "9223372036854775807");
    }
    const bool withscores = ctx.argv.size() == 4 && option_is(ctx.argv[3], "WITHSCORES");
    if (ctx.argv.size() > 4 || (ctx.argv.size() == 4 && !withscores)) {
      return ctx.reply.error(errors::syntax);
    }
    return zrandmember_count(ctx, *count, withscores);
  }
  const Lookup lookup = find_read(ctx, ctx.argv[1]);
  if (!lookup.ok) return;
  if (lookup.value == nullptr) return ctx.reply.null();
  const size_t rank = ctx.server.runtime().rng().below(lookup.value->size());
  ctx.reply.bulk(lookup.value->at(rank).first);
}

// --- ZSCAN -----------------------------------------------------------------------------------

// ZSCAN key cursor [MATCH pattern] [COUNT count].
void zscan_command(CommandContext& ctx) {
  const auto scan = begin_collection_scan(ctx, store::ValueType::zset);
  if (!scan) return;
  const auto& value = *static_cast<const store::ZsetValue*>(scan->entry->collection());
  reply_collection_scan(ctx, *scan, 2, [&](uint64_t cursor, std::vector<std::string>& out) {
    return value.scan(cursor, 1, [&](std::string_view member, double score) {
      out.emplace_back(member);
      out.push_back(store::format_score(score));
    });
  });
}

}  // namespace zset

// --- registration ----------------------------------------------------------------------------

void register_zset_commands(CommandTable& table) {
  using namespace zset;  // NOLINT: the handlers
  const SpecBuilder zset_family =
      SpecBuilder::family("sorted_set", data_acl("@sortedset"), one_key);
  const CommandSpec specs[] = {
      zset_family.command("zadd", -4, zadd_command)
          .flags(write_oom_fast)
          .doc("Add one or more members to a sorted set, or update its score if it already exists",
               "1.2.0"),
      zset_family.command("zincrby", 4, zincrby_command)
          .flags(write_oom_fast)
          .doc("Increment the score of a member in a sorted set", "1.2.0"),
      zset_family.command("zrem", -3, zrem_command)
          .flags(write_fast)
          .doc("Remove one or more members from a sorted set", "1.2.0"),
      zset_family.command("zcard", 2, zcard_command)
          .flags(read_fast)
          .doc("Get the number of members in a sorted set", "1.2.0"),
      zset_family.command("zscore", 3, zscore_command)
          .flags(read_fast)
          .doc("Get the score associated with the given member in a sorted set", "1.2.0"),
      zset_family.command("zmscore", -3, zmscore_command)
          .flags(read_fast)
          .doc("Get the score associated with the given members in a sorted set", "6.2.0"),
      zset_family.command("zrank", 3, zrank_command)
          .flags(read_fast)
          .doc("Determine the index of a member in a sorted set", "2.0.0"),
      zset_family.command("zrevrank", 3, zrevrank_command)
          .flags(read_fast)
          .doc("Determine the index of a member in a sorted set, with scores ordered from high "
               "to low",
               "2.0.0"),
      zset_family.command("zrandmember", -2, zrandmember_command)
          .flags(flag_readonly)
          .doc("Get one or multiple random elements from a sorted set", "6.2.0"),
      zset_family.command("zscan", -3, zscan_command)
          .flags(flag_readonly)
          .doc("Incrementally iterate sorted sets elements and associated scores", "2.8.0"),
      zset_family.command("zcount", 4, zcount_command)
          .flags(read_fast)
          .doc("Count the members in a sorted set with scores within the given values", "2.0.0"),
      zset_family.command("zlexcount", 4, zlexcount_command)
          .flags(read_fast)
          .doc("Count the number of members in a sorted set between a given lexicographical "
               "range",
               "2.8.9"),
      zset_family.command("zrange", -4, zrange_command)
          .flags(flag_readonly)
          .doc("Return a range of members in a sorted set", "1.2.0"),
      zset_family.command("zrangestore", -5, zrangestore_command)
          .flags(write_oom)
          .keys({1, 2, 1})
          .doc("Store a range of members from sorted set into another key", "6.2.0"),
      zset_family.command("zrevrange", -4, zrevrange_command)
          .flags(flag_readonly)
          .doc("Return a range of members in a sorted set, by index, with scores ordered from "
               "high to low",
               "1.2.0"),
      zset_family.command("zrangebyscore", -4, zrangebyscore_command)
          .flags(flag_readonly)
          .doc("Return a range of members in a sorted set, by score", "1.0.5"),
      zset_family.command("zrevrangebyscore", -4, zrevrangebyscore_command)
          .flags(flag_readonly)
          .doc("Return a range of members in a sorted set, by score, with scores ordered from "
               "high to low",
               "2.2.0"),
      zset_family.command("zrangebylex", -4, zrangebylex_command)
          .flags(flag_readonly)
          .doc("Return a range of members in a sorted set, by lexicographical range", "2.8.9"),
      zset_family.command("zrevrangebylex", -4, zrevrangebylex_command)
          .flags(flag_readonly)
          .doc("Return a range of members in a sorted set, by lexicographical range, ordered "
               "from higher to lower strings.",
               "2.8.9"),
      zset_family.command("zremrangebyrank", 4, zremrangebyrank_command)
          .flags(flag_write)
          .doc("Remove all members in a sorted set within the given indexes", "2.0.0"),
      zset_family.command("zremrangebyscore", 4, zremrangebyscore_command)
          .flags(flag_write)
          .doc("Remove all members in a sorted set within the given scores", "1.2.0"),
      zset_family.command("zremrangebylex", 4, zremrangebylex_command)
          .flags(flag_write)
          .doc("Remove all members in a sorted set between the given lexicographical range",
               "2.8.9"),
      zset_family.command("zpopmin", -2, zpopmin_command)
          .flags(write_fast)
          .doc("Remove and return members with the lowest scores in a sorted set", "5.0.0"),
      zset_family.command("zpopmax", -2, zpopmax_command)
          .flags(write_fast)
          .doc("Remove and return members with the highest scores in a sorted set", "5.0.0"),
      zset_family.command("zmpop", -4, zmpop_command)
          .flags(flag_write)
          .keys(no_keys)
          .doc("Remove and return members with scores in a sorted set", "7.0.0")
          .key_finder(zmpop_keys),
      zset_family.command("bzpopmin", -3, bzpopmin_command)
          .flags(write_fast | flag_noscript | flag_blocking)
          .keys(KeyRange{1, -2, 1})
          .doc("Remove and return the member with the lowest score from one or more sorted sets, "
               "or block until one is available",
               "5.0.0"),
      zset_family.command("bzpopmax", -3, bzpopmax_command)
          .flags(write_fast | flag_noscript | flag_blocking)
          .keys(KeyRange{1, -2, 1})
          .doc("Remove and return the member with the highest score from one or more sorted "
               "sets, or block until one is available",
               "5.0.0"),
      zset_family.command("bzmpop", -5, bzmpop_command)
          .flags(flag_write | flag_blocking)
          .keys(no_keys)
          .doc("Remove and return members with scores in a sorted set or block until one "
               "is available",
               "7.0.0")
          .key_finder(bzmpop_keys),
      zset_family.command("zunion", -3, zunion_command)
          .flags(flag_readonly)
          .keys(no_keys)
          .doc("Add multiple sorted sets", "6.2.0")
          .key_finder(numkeys_at_1_keys),
      zset_family.command("zinter", -3, zinter_command)
          .flags(flag_readonly)
          .keys(no_keys)
          .doc("Intersect multiple sorted sets", "6.2.0")
          .key_finder(numkeys_at_1_keys),
      zset_family.command("zdiff", -3, zdiff_command)
          .flags(flag_readonly)
          .keys(no_keys)
          .doc("Subtract multiple sorted sets", "6.2.0")
          .key_finder(numkeys_at_1_keys),
      zset_family.command("zintercard", -3, zintercard_command)
          .flags(flag_readonly)
          .keys(no_keys)
          .doc("Intersect multiple sorted sets and return the cardinality of the result", "7.0.0")
          .key_finder(numkeys_at_1_keys),
      zset_family.command("zunionstore", -4, zunionstore_command)
          .flags(write_oom)
          .doc("Add multiple sorted sets and store the resulting sorted set in a new key", "2.0.0")
          .key_finder(store_numkeys_at_2_keys),
      zset_family.command("zinterstore", -4, zinterstore_command)
          .flags(write_oom)
          .doc("Intersect multiple sorted sets and store the resulting sorted set in a "
               "new key",
               "2.0.0")
          .key_finder(store_numkeys_at_2_keys),
      zset_family.command("zdiffstore", -4, zdiffstore_command)
          .flags(write_oom)
          .doc("Subtract multiple sorted sets and store the resulting sorted set in a new "
               "key",
               "6.2.0")
          .key_finder(store_numkeys_at_2_keys),
  };
  for (const auto& spec : specs) table.add(spec);
}

}  // namespace ringcache::commands
