// The blocking sorted set pops: BZPOPMIN, BZPOPMAX, BZMPOP (Redis 7.0's
// blockingGenericZpopCommand). Each first pops from the first non-empty key as ZPOPMIN/ZMPOP do;
// with nothing there it blocks the client (blocking_command.h) until a write fills one of its
// keys with a sorted set. Either way it propagates as ZPOPMIN/ZPOPMAX key [count].

#include <optional>
#include <span>
#include <string_view>

#include "core/commands/arguments.h"
#include "core/commands/blocking_command.h"
#include "core/commands/zset/zset_family.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"

namespace ringcache::commands::zset {
namespace {

using server::ServeResult;

struct PopRequest {
  bool max = false;
  std::optional<size_t> count;  // BZMPOP: replies [key, [[member, score], ...]]
};

PopShape shape_of(const PopRequest& request) {
  return request.count ? PopShape::key_and_pairs : PopShape::key_member_score;
}

// Pops from the first key holding a sorted set; false after a WRONGTYPE reply (a key of another
// type before the first sorted set, as Redis), true with nothing popped when all are absent.
bool pop_first_present(CommandContext& ctx, std::span<const std::string_view> keys,
                       const PopRequest& request, bool& popped) {
  popped = false;
  for (std::string_view key : keys) {
    const Lookup lookup = find_write(ctx, key);
    if (!lookup.ok) return false;
    if (lookup.value == nullptr) continue;
    pop_and_propagate(ctx, lookup, key, request.max, request.count, shape_of(request));
    popped = true;
    return true;
  }
  return true;
}

void blocking_pop(CommandContext& ctx, std::span<const std::string_view> keys,
                  std::optional<Instant> deadline, PopRequest request) {
  bool popped = false;
  if (!pop_first_present(ctx, keys, request, popped) || popped) return;
  if (!may_block(ctx)) return ctx.reply.null_array();
  block_on_keys(ctx, keys, deadline, [&ctx, request](std::string_view ready) {
    Lookup lookup;
    lookup.entry = ctx.server.keyspace().find_write(ready);
    if (lookup.entry == nullptr) return ServeResult::exhausted;
    if (lookup.entry->type() != store::ValueType::zset) return ServeResult::skipped;
    lookup.value = static_cast<store::ZsetValue*>(lookup.entry->collection());
    begin_served_unit(ctx, {ready});
    pop_and_propagate(ctx, lookup, ready, request.max, request.count, shape_of(request));
    return ServeResult::served;
  });
}

// BZPOPMIN/BZPOPMAX key [key ...] timeout
void bzpop_generic(CommandContext& ctx, bool max) {
  std::optional<Instant> deadline;
  if (!block_deadline_or_reply(ctx, ctx.argv.back(), deadline)) return;
  blocking_pop(ctx, ctx.argv.subspan(1, ctx.argv.size() - 2), deadline, PopRequest{max, {}});
}

}  // namespace

void bzpopmin_command(CommandContext& ctx) { bzpop_generic(ctx, false); }
void bzpopmax_command(CommandContext& ctx) { bzpop_generic(ctx, true); }

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
// The timeout is read after the other arguments, as Redis does.
void bzmpop_command(CommandContext& ctx) {
  const auto pop = parse_multi_pop(ctx, 2);
  if (!pop) return;
  std::optional<Instant> deadline;
  if (!block_deadline_or_reply(ctx, ctx.argv[1], deadline)) return;
  blocking_pop(ctx, pop->keys, deadline, PopRequest{pop->max, pop->count});
}

std::vector<int> bzmpop_keys(std::span<const std::string_view> argv) {
  return multi_pop_keys(argv, 2);
}

}  // namespace ringcache::commands::zset
