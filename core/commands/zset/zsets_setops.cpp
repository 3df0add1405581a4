// Set operations over sorted sets (and plain sets, whose members score 1): ZUNION, ZINTER, ZDIFF,
// their STORE forms, and ZINTERCARD, as Redis' zunionInterDiffGenericCommand.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/commands/arguments.h"
#include "core/commands/zset/zset_family.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"

namespace ringcache::commands::zset {
namespace {

enum class SetOp { set_union, inter, diff };
enum class Aggregate { sum, min, max };

// One input: a sorted set of the keyspace, a plain set read as one (scores 1), or nothing.
struct Source {
  const store::ZsetValue* zset = nullptr;
  std::unique_ptr<store::ZsetValue> owned;  // a plain set's members
  double weight = 1;
  size_t size() const { return zset == nullptr ? 0 : zset->size(); }
};

// A plain set's members, read through Collection::rebuild (the one interface every collection
// offers), as a sorted set whose scores are all 1.
std::unique_ptr<store::ZsetValue> members_of_set(CommandContext& ctx,
                                                 const store::Collection& set) {
  auto value = make_value(ctx, true);
  set.rebuild("", [&](std::span<const std::string_view> argv) {
    for (size_t i = 2; i < argv.size(); ++i) {
      value->set(argv[i], 1, ctx.server.config().encoding, ctx.server.runtime().rng());
    }
  });
  return value;
}

// Reads the input keys (as reads, counting hits and misses, in the store forms too: Redis does);
// false after a WRONGTYPE reply (keys after the bad one are not looked up).
bool read_sources(CommandContext& ctx, size_t first, size_t count, std::vector<Source>& sources) {
  auto& keyspace = ctx.server.keyspace();
  for (size_t i = 0; i < count; ++i) {
    store::Entry* entry = keyspace.find_read(ctx.argv[first + i]);
    Source& source = sources.emplace_back();
    if (entry == nullptr) continue;
    if (entry->type() == store::ValueType::zset) {
      source.zset = static_cast<const store::ZsetValue*>(entry->collection());
    } else if (entry->type() == store::ValueType::set) {
      source.owned = members_of_set(ctx, *entry->collection());
      source.zset = source.owned.get();
    } else {
      ctx.reply.error(errors::wrong_type);
      return false;
    }
  }
  return true;
}

struct Options {
  Aggregate aggregate = Aggregate::sum;
  bool withscores = false;
  int64_t limit = 0;  // ZINTERCARD; 0: none
};

// WEIGHTS / AGGREGATE / WITHSCORES / LIMIT after the keys, each only where Redis allows it.
bool parse_options(CommandContext& ctx, size_t j, SetOp op, bool store, bool cardinality,
                   std::vector<Source>& sources, Options& options) {
  const size_t argc = ctx.argv.size();
  const bool weighted = op != SetOp::diff && !cardinality;
  while (j < argc) {
    const size_t remaining = argc - j;
    const std::string_view arg = ctx.argv[j];
    if (weighted && remaining >= sources.size() + 1 && option_is(arg, "WEIGHTS")) {
      ++j;
      for (Source& source : sources) {
        const auto weight = score_or_reply(ctx, ctx.argv[j++], "ERR weight value is not a float");
        if (!weight) return false;
        source.weight = *weight;
      }
    } else if (weighted && remaining >= 2 && option_is(arg, "AGGREGATE")) {
      const std::string_view how = ctx.argv[j + 1];
      if (option_is(how, "SUM")) {
        options.aggregate = Aggregate::sum;
      } else if (option_is(how, "MIN")) {
        options.aggregate = Aggregate::min;
      } else if (option_is(how, "MAX")) {
        options.aggregate = Aggregate::max;
      } else {
        ctx.reply.error(errors::syntax);
        return false;
      }
      j += 2;
    } else if (!store && !cardinality && option_is(arg, "WITHSCORES")) {
      options.withscores = true;
      ++j;
    } else if (cardinality && remaining >= 2 && option_is(arg, "LIMIT")) {
      const auto limit = parse_int64(ctx.argv[j + 1]);
      if (!limit || *limit < 0) {
        ctx.reply.error("ERR LIMIT can't be negative");
        return false;
      }
      options.limit = *limit;
      j += 2;
    } else {
      ctx.reply.error(errors::syntax);
      return false;
    }
  }
  return true;
}

// A weighted score; NaN (0 * inf) counts as 0, as in Redis.
double weighted(double score, double weight) {
  const double value = score * weight;
  return std::isnan(value) ? 0 : value;
}

void aggregate_into(double& target, double value, Aggregate aggregate) {
  switch (aggregate) {
    case Aggregate::sum:
      target += value;
      if (std::isnan(target)) target = 0;  // inf + -inf
      return;
    case Aggregate::min:
      target = std::min(target, value);
      return;
    case Aggregate::max:
      target = std::max(target, value);
      return;
  }
}

void for_each_member(const Source& source, const store::ZsetValue::Visit& visit) {
  if (source.zset != nullptr) source.zset->visit(0, source.size(), false, visit);
}

std::vector<Member> compute_union(std::vector<Source>& sources, Aggregate aggregate) {
  std::unordered_map<std::string, double> scores;
  for (const Source& source : sources) {
    for_each_member(source, [&](std::string_view member, double score) {
      const double value = weighted(score, source.weight);
      auto [at, inserted] = scores.try_emplace(std::string(member), value);
      if (!inserted) aggregate_into(at->second, value, aggregate);
    });
  }
  std::vector<Member> result;
  result.reserve(scores.size());
  for (auto& [member, score] : scores) result.push_back({member, score});
  return result;
}

// Intersection in the order Redis computes it: members of the smallest input, aggregated with
// the others in ascending size. Stops after `limit` members when limit > 0 (ZINTERCARD).
std::vector<Member> compute_inter(std::vector<Source>& sources, Aggregate aggregate,
                                  size_t limit) {
  std::vector<Member> result;
  if (sources.front().size() == 0) return result;
  for_each_member(sources.front(), [&](std::string_view member, double score) {
    if (limit > 0 && result.size() >= limit) return;
    double total = weighted(score, sources.front().weight);
    for (size_t j = 1; j < sources.size(); ++j) {
      const auto other = sources[j].zset->score(member);
      if (!other) return;
      aggregate_into(total, weighted(*other, sources[j].weight), aggregate);
    }
    result.push_back({std::string(member), total});
  });
  return result;
}

std::vector<Member> compute_diff(const std::vector<Source>& sources) {
  std::vector<Member> result;
  for_each_member(sources.front(), [&](std::string_view member, double score) {
    for (size_t j = 1; j < sources.size(); ++j) {
      if (sources[j].zset != nullptr && sources[j].zset->score(member)) return;
    }
    result.push_back({std::string(member), score});
  });
  return result;
}

void reply_result(CommandContext& ctx, std::vector<Member>& members, bool withscores) {
  std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) {
    return store::compare_score_member(a.score, a.member, b.score, b.member) < 0;
  });
  const bool pairs = withscores && ctx.reply.resp_version() >= 3;
  ctx.reply.array(withscores && !pairs ? 2 * members.size() : members.size());
  for (const Member& m : members) {
    if (pairs) ctx.reply.array(2);
    ctx.reply.bulk(m.member);
    if (withscores) ctx.reply.dbl(m.score);
  }
}

const char* store_event(SetOp op) {
  switch (op) {
    case SetOp::set_union:
      return "zunionstore";
    case SetOp::inter:
      return "zinterstore";
    case SetOp::diff:
      return "zdiffstore";
  }
  RING_UNREACHABLE();
}

// argv[numkeys_index] is numkeys, the keys follow; a store form has its destination at argv[1].
void setop_generic(CommandContext& ctx, size_t numkeys_index, bool store, SetOp op,
                   bool cardinality = false) {
  const auto numkeys = int64_or_reply(ctx, ctx.argv[numkeys_index]);
  if (!numkeys) return;
  if (*numkeys < 1) {
    std::string name(ctx.argv[0]);
    protocol::lower_in_place(name);
    return ctx.reply.error(fmt::format("ERR at least 1 input key is needed for '{}' command", name));
  }
  if (*numkeys > static_cast<int64_t>(ctx.argv.size() - numkeys_index - 1)) {
    return ctx.reply.error(errors::syntax);
  }
  const auto count = static_cast<size_t>(*numkeys);
  std::vector<Source> sources;
  sources.reserve(count);
  if (!read_sources(ctx, numkeys_index + 1, count, sources)) return;
  Options options;
  if (!parse_options(ctx, numkeys_index + 1 + count, op, store, cardinality, sources, options)) {
    return;
  }
  // Smallest first, as Redis orders its inputs (a diff keeps its first input in place).
  const auto by_size = [](const Source& a, const Source& b) { return a.size() < b.size(); };
  if (op != SetOp::diff) std::stable_sort(sources.begin(), sources.end(), by_size);
  std::vector<Member> result;
  if (op == SetOp::set_union) result = compute_union(sources, options.aggregate);
  if (op == SetOp::inter) {
    result = compute_inter(sources, options.aggregate, static_cast<size_t>(options.limit));
  }
  if (op == SetOp::diff) result = compute_diff(sources);
  if (cardinality) return ctx.reply.integer(static_cast<int64_t>(result.size()));
  if (store) return store_result(ctx, ctx.argv[1], result, store_event(op));
  reply_result(ctx, result, options.withscores);
}

std::vector<int> keys_after_numkeys(std::span<const std::string_view> argv, size_t numkeys_index,
                                    std::vector<int> keys) {
  if (argv.size() <= numkeys_index) return keys;
  const auto numkeys = parse_int64(argv[numkeys_index]);
  if (!numkeys || *numkeys < 1) return keys;
  for (int64_t i = 0; i < *numkeys; ++i) {
    const auto at = static_cast<int64_t>(numkeys_index) + 1 + i;
    if (at >= static_cast<int64_t>(argv.size())) break;
    keys.push_back(static_cast<int>(at));
  }
  return keys;
}

}  // namespace

void zunion_command(CommandContext& ctx) { setop_generic(ctx, 1, false, SetOp::set_union); }
void zinter_command(CommandContext& ctx) { setop_generic(ctx, 1, false, SetOp::inter); }
void zdiff_command(CommandContext& ctx) { setop_generic(ctx, 1, false, SetOp::diff); }
void zunionstore_command(CommandContext& ctx) { setop_generic(ctx, 2, true, SetOp::set_union); }
void zinterstore_command(CommandContext& ctx) { setop_generic(ctx, 2, true, SetOp::inter); }
void zdiffstore_command(CommandContext& ctx) { setop_generic(ctx, 2, true, SetOp::diff); }
void zintercard_command(CommandContext& ctx) {
  setop_generic(ctx, 1, false, SetOp::inter, true);
}

std::vector<int> numkeys_at_1_keys(std::span<const std::string_view> argv) {
  return keys_after_numkeys(argv, 1, {});
}

std::vector<int> store_numkeys_at_2_keys(std::span<const std::string_view> argv) {
  return keys_after_numkeys(argv, 2, {1});
}

}  // namespace ringcache::commands::zset
