// Popping the lowest or highest members: ZPOPMIN, ZPOPMAX and ZMPOP (Redis' genericZpopCommand).

#include <string>
#include <vector>

#include "core/commands/arguments.h"
#include "core/commands/zset_family.h"
#include "core/node/server.h"

namespace ringcache::commands::zset {
namespace {

// How a pop reply is shaped: ZPOPMIN [member, score, ...] (RESP3 with a count: pairs); ZMPOP
// [key, [[member, score], ...]].
enum class PopShape { flat, pairs, key_and_pairs };

// Pops up to `count` members of the set at `key` (present, not empty) from the low end (or the
// high end when `max`), replies them, and does the write's bookkeeping. Returns how many.
size_t pop_members(CommandContext& ctx, const Lookup& lookup, std::string_view key, bool max,
                   size_t count, PopShape shape) {
  store::ZsetValue& value = *lookup.value;
  const size_t taken = std::min(count, value.size());
  const size_t start = max ? value.size() - taken : 0;
  const bool nested = shape != PopShape::flat;
  if (shape == PopShape::key_and_pairs) {
    ctx.reply.array(2);
    ctx.reply.bulk(key);
  }
  ctx.reply.array(nested ? taken : 2 * taken);
  value.visit(start, start + taken, max, [&](std::string_view member, double score) {
    if (nested) ctx.reply.array(2);
    ctx.reply.bulk(member);
    ctx.reply.dbl(score);
  });
  value.remove_range(start, start + taken);
  written(ctx, lookup, key, max ? "zpopmax" : "zpopmin");
  return taken;
}

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

void zpopmin_command(CommandContext& ctx) { zpop_generic(ctx, false); }
void zpopmax_command(CommandContext& ctx) { zpop_generic(ctx, true); }

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]: pops from the first non-empty key.
void zmpop_command(CommandContext& ctx) {
  const auto numkeys = zmpop_numkeys(ctx.argv[1]);
  if (!numkeys) return ctx.reply.error("ERR numkeys should be greater than 0");
  const size_t where = 2 + static_cast<size_t>(std::min<int64_t>(*numkeys, INT32_MAX));
  if (where >= ctx.argv.size()) return ctx.reply.error(errors::syntax);
  const bool max = option_is(ctx.argv[where], "MAX");
  if (!max && !option_is(ctx.argv[where], "MIN")) return ctx.reply.error(errors::syntax);
  std::optional<int64_t> count;
  for (size_t j = where + 1; j < ctx.argv.size(); ++j) {
    if (count || !option_is(ctx.argv[j], "COUNT") || j + 1 == ctx.argv.size()) {
      return ctx.reply.error(errors::syntax);
    }
    count = parse_int64(ctx.argv[++j]);
    if (!count || *count < 1) return ctx.reply.error("ERR count should be greater than 0");
  }
  for (size_t i = 2; i < where; ++i) {
    const Lookup lookup = find_write(ctx, ctx.argv[i]);
    if (!lookup.ok) return;
    if (lookup.value == nullptr) continue;
    const std::string key(ctx.argv[i]);
    const size_t taken = pop_members(ctx, lookup, key, max, static_cast<size_t>(count.value_or(1)),
                                     PopShape::key_and_pairs);
    // Replayed as the plain pop of what was taken (Redis 7.0 propagates ZMPOP so).
    const std::string taken_text = std::to_string(taken);
    ctx.server.propagation().replace_with({max ? "ZPOPMAX" : "ZPOPMIN", key, taken_text});
    return;
  }
  ctx.reply.null_array();
}

std::vector<int> zmpop_keys(std::span<const std::string_view> argv) {
  std::vector<int> keys;
  if (argv.size() < 2) return keys;
  const auto numkeys = zmpop_numkeys(argv[1]);
  if (!numkeys) return keys;
  for (int64_t i = 0; i < *numkeys && 2 + i < static_cast<int64_t>(argv.size()); ++i) {
    keys.push_back(static_cast<int>(2 + i));
  }
  return keys;
}

}  // namespace ringcache::commands::zset
