// Popping the lowest or highest members: ZPOPMIN, ZPOPMAX and ZMPOP (Redis' genericZpopCommand),
// and what the blocking pops (zsets_blocking.cpp) share with them.

#include <algorithm>
#include <string>
#include <vector>

#include "core/commands/arguments.h"
#include "core/commands/zset/zset_family.h"
#include "core/server/server.h"

namespace ringcache::commands::zset {
namespace {

void zpop_generic(CommandContext& ctx, bool max) {
  if (ctx.argv.size() > 3) return ctx.reply.error(errors::syntax);
  size_t count = 1;
  const bool counted = ctx.argv.size() == 3;
  if (counted) {
    const auto parsed = parse_int64(ctx.argv[2]);
    if (!parsed || *parsed < 0) {
      return ctx.reply.error("ERR value is out of range, must be positive");
    }
    count = static_cast<size_t>(*parsed);
  }
  const std::string_view key = ctx.argv[1];
  const Lookup lookup = find_write(ctx, key);
  if (!lookup.ok) return;
  // A count of 0 answers empty, but only after the type check (as Redis).
  if (lookup.value == nullptr || count == 0) return ctx.reply.empty_array();
  const bool pairs = counted && ctx.reply.resp_version() >= 3;
  pop_members(ctx, lookup, key, max, count, pairs ? PopShape::pairs : PopShape::flat);
}

// ZMPOP's numkeys: at least 1 and no more than the arguments after it; nullopt if unreadable.
std::optional<int64_t> zmpop_numkeys(std::string_view text) {
  const auto numkeys = parse_int64(text);
  if (!numkeys || *numkeys < 1) return std::nullopt;
  return numkeys;
}

}  // namespace

size_t pop_members(CommandContext& ctx, const Lookup& lookup, std::string_view key, bool max,
                   size_t count, PopShape shape) {
  store::ZsetValue& value = *lookup.value;
  const size_t taken = std::min(count, value.size());
  const size_t start = max ? value.size() - taken : 0;
  const bool nested = shape == PopShape::pairs || shape == PopShape::key_and_pairs;
  if (shape == PopShape::key_and_pairs) {
    ctx.reply.array(2);
    ctx.reply.bulk(key);
  }
  if (shape == PopShape::key_member_score) {
    ctx.reply.array(1 + 2 * taken);
    ctx.reply.bulk(key);
  } else {
    ctx.reply.array(nested ? taken : 2 * taken);
  }
  value.visit(start, start + taken, max, [&](std::string_view member, double score) {
    if (nested) ctx.reply.array(2);
    ctx.reply.bulk(member);
    ctx.reply.dbl(score);
  });
  value.remove_range(start, start + taken);
  written(ctx, lookup, key, max ? "zpopmax" : "zpopmin");
  return taken;
}

void pop_and_propagate(CommandContext& ctx, const Lookup& lookup, std::string_view key, bool max,
                       std::optional<size_t> count, PopShape shape) {
  const std::string name(key);  // `key` may be the argv of a command the propagation replaces
  const size_t taken = pop_members(ctx, lookup, name, max, count.value_or(1), shape);
  const std::string_view command = max ? "ZPOPMAX" : "ZPOPMIN";
  if (!count) return ctx.server.propagation().replace_with({command, name});
  ctx.server.propagation().replace_with({command, name, std::to_string(taken)});
}

std::optional<MultiPop> parse_multi_pop(CommandContext& ctx, size_t numkeys_at) {
  const auto numkeys = zmpop_numkeys(ctx.argv[numkeys_at]);
  if (!numkeys) {
    ctx.reply.error("ERR numkeys should be greater than 0");
    return std::nullopt;
  }
  const size_t first = numkeys_at + 1;
  if (static_cast<uint64_t>(*numkeys) >= ctx.argv.size() - first) {
    ctx.reply.error(errors::syntax);
    return std::nullopt;
  }
  const size_t where = first + static_cast<size_t>(*numkeys);
  MultiPop pop;
  pop.keys = ctx.argv.subspan(first, where - first);
  pop.max = option_is(ctx.argv[where], "MAX");
  if (!pop.max && !option_is(ctx.argv[where], "MIN")) {
    ctx.reply.error(errors::syntax);
    return std::nullopt;
  }
  std::optional<int64_t> count;
  for (size_t j = where + 1; j < ctx.argv.size(); ++j) {
    if (count || !option_is(ctx.argv[j], "COUNT") || j + 1 == ctx.argv.size()) {
      ctx.reply.error(errors::syntax);
      return std::nullopt;
    }
    count = parse_int64(ctx.argv[++j]);
    if (!count || *count < 1) {
      ctx.reply.error("ERR count should be greater than 0");
      return std::nullopt;
    }
  }
  pop.count = static_cast<size_t>(count.value_or(1));
  return pop;
}

std::vector<int> multi_pop_keys(std::span<const std::string_view> argv, size_t numkeys_at) {
  std::vector<int> keys;
  if (argv.size() <= numkeys_at) return keys;
  const auto numkeys = zmpop_numkeys(argv[numkeys_at]);
  if (!numkeys) return keys;
  const auto first = static_cast<int64_t>(numkeys_at) + 1;
  for (int64_t i = 0; i < *numkeys && first + i < static_cast<int64_t>(argv.size()); ++i) {
    keys.push_back(static_cast<int>(first + i));
  }
  return keys;
}

void zpopmin_command(CommandContext& ctx) { zpop_generic(ctx, false); }
void zpopmax_command(CommandContext& ctx) { zpop_generic(ctx, true); }

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]: pops from the first non-empty key.
void zmpop_command(CommandContext& ctx) {
  const auto pop = parse_multi_pop(ctx, 1);
  if (!pop) return;
  for (std::string_view key : pop->keys) {
    const Lookup lookup = find_write(ctx, key);
    if (!lookup.ok) return;
    if (lookup.value == nullptr) continue;
    // Replayed as the plain pop of what was taken (Redis 7.0 propagates ZMPOP so).
    return pop_and_propagate(ctx, lookup, key, pop->max, pop->count, PopShape::key_and_pairs);
  }
  ctx.reply.null_array();
}

std::vector<int> zmpop_keys(std::span<const std::string_view> argv) {
  return multi_pop_keys(argv, 1);
}

}  // namespace ringcache::commands::zset
