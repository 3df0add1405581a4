// The blocking list commands: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP (t_list.c in Redis 7.0).
// Each first tries what its non-blocking form does; with nothing to take it blocks the client
// (blocking_command.h) and is served later by the write that fills one of its keys. Either way
// it propagates as its non-blocking form: BLPOP as LPOP key, BLMPOP as LPOP key count, BLMOVE as
// LMOVE, BRPOPLPUSH as RPOPLPUSH.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/commands/arguments.h"
#include "core/commands/blocking_command.h"
#include "core/commands/list/list_access.h"
#include "core/commands/list/list_specs.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"

namespace ringcache::commands {
namespace {

using server::ServeResult;
using store::Entry;
using store::ListEnd;

std::string_view pop_name(ListEnd end) { return end == ListEnd::head ? "LPOP" : "RPOP"; }

// Whether a key made ready holds something a list waiter takes.
ServeResult list_readiness(const Entry* entry) {
  if (entry == nullptr) return ServeResult::exhausted;
  return entry->type() == store::ValueType::list ? ServeResult::served : ServeResult::skipped;
}

// --- BLPOP / BRPOP / BLMPOP --------------------------------------------------------------------

struct PopRequest {
  ListEnd end = ListEnd::head;
  size_t count = 1;
  bool multi = false;  // BLMPOP: replies [key, [elements]] and propagates a count
};

void pop_and_reply(CommandContext& ctx, Entry* entry, std::string_view key,
                   const PopRequest& request) {
  const auto popped = pop_from_list(ctx, entry, key, request.end, request.count);
  if (request.multi) {
    const std::string count = format_int64(static_cast<int64_t>(popped.size()));
    ctx.server.propagation().replace_with({pop_name(request.end), key, count});
    return reply_key_and_elements(ctx, key, popped);
  }
  ctx.server.propagation().replace_with({pop_name(request.end), key});
  ctx.reply.array(2);
  ctx.reply.bulk(key);
  ctx.reply.bulk(popped.front());
}

void blocking_pop(CommandContext& ctx, std::span<const std::string_view> keys,
                  std::optional<Instant> deadline, PopRequest request) {
  Entry* entry = nullptr;
  std::string_view key;
  if (!first_nonempty_list(ctx, keys, entry, key)) return;
  if (entry != nullptr) return pop_and_reply(ctx, entry, key, request);
  if (!may_block(ctx)) return ctx.reply.null_array();
  block_on_keys(ctx, keys, deadline, [&ctx, request](std::string_view ready) {
    Entry* found = ctx.server.keyspace().find_write(ready);
    const ServeResult readiness = list_readiness(found);
    if (readiness != ServeResult::served) return readiness;
    begin_served_unit(ctx, {ready});
    pop_and_reply(ctx, found, ready, request);
    return ServeResult::served;
  });
}

// BLPOP/BRPOP key [key ...] timeout
void bpop_generic(CommandContext& ctx, ListEnd end) {
  std::optional<Instant> deadline;
  if (!block_deadline_or_reply(ctx, ctx.argv.back(), deadline)) return;
  blocking_pop(ctx, ctx.argv.subspan(1, ctx.argv.size() - 2), deadline, PopRequest{end});
}

void blpop_command(CommandContext& ctx) { bpop_generic(ctx, ListEnd::head); }
void brpop_command(CommandContext& ctx) { bpop_generic(ctx, ListEnd::tail); }

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
// The timeout is read after the other arguments, as Redis does.
void blmpop_command(CommandContext& ctx) {
  const auto args = parse_multi_pop(ctx, 2);
  if (!args) return;
  std::optional<Instant> deadline;
  if (!block_deadline_or_reply(ctx, ctx.argv[1], deadline)) return;
  blocking_pop(ctx, args->keys, deadline, PopRequest{args->end, args->count, true});
}

std::vector<int> blmpop_keys(std::span<const std::string_view> argv) {
  return multi_pop_keys(argv, 2);
}

// --- BLMOVE / BRPOPLPUSH -----------------------------------------------------------------------

struct MoveRequest {
  ListEnd from = ListEnd::tail;
  ListEnd to = ListEnd::head;
  bool as_rpoplpush = false;  // BRPOPLPUSH propagates as RPOPLPUSH, BLMOVE as LMOVE
};

// Moves one element if the source has one; propagates the move when it happened.
MoveOutcome move_and_propagate(CommandContext& ctx, const MoveRequest& request) {
  const uint64_t dirty_before = ctx.server.dirty();
  const MoveOutcome outcome =
      move_if_source_exists(ctx, ctx.argv[1], ctx.argv[2], request.from, request.to);
  if (ctx.server.dirty() == dirty_before) return outcome;
  if (request.as_rpoplpush) {
    ctx.server.propagation().replace_with({"RPOPLPUSH", ctx.argv[1], ctx.argv[2]});
  } else {
    ctx.server.propagation().replace_with({"LMOVE", ctx.argv[1], ctx.argv[2],
                                           list_end_word(request.from),
                                           list_end_word(request.to)});
  }
  return outcome;
}

void blocking_move(CommandContext& ctx, std::string_view timeout, MoveRequest request) {
  std::optional<Instant> deadline;
  if (!block_deadline_or_reply(ctx, timeout, deadline)) return;
  if (move_and_propagate(ctx, request) == MoveOutcome::replied) return;
  if (!may_block(ctx)) return ctx.reply.null();
  const std::string_view source[] = {ctx.argv[1]};
  block_on_keys(ctx, source, deadline, [&ctx, request](std::string_view ready) {
    const ServeResult readiness = list_readiness(ctx.server.keyspace().find_write(ready));
    if (readiness != ServeResult::served) return readiness;
    begin_served_unit(ctx, {ctx.argv[1], ctx.argv[2]});
    // A destination of another type ends the wait with WRONGTYPE, the element left in place.
    move_and_propagate(ctx, request);
    return ServeResult::served;
  });
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
void blmove_command(CommandContext& ctx) {
  const auto from = parse_list_end(ctx.argv[3]);
  const auto to = parse_list_end(ctx.argv[4]);
  if (!from || !to) return ctx.reply.error(errors::syntax);
  blocking_move(ctx, ctx.argv[5], MoveRequest{*from, *to, false});
}

// BRPOPLPUSH source destination timeout
void brpoplpush_command(CommandContext& ctx) {
  blocking_move(ctx, ctx.argv[3], MoveRequest{ListEnd::tail, ListEnd::head, true});
}

}  // namespace

void register_blocking_list_commands(CommandTable& table) {
  constexpr uint32_t blocking = flag_write | flag_noscript | flag_blocking;
  constexpr uint32_t blocking_oom = blocking | flag_denyoom;
  const SpecBuilder list_family = make_list_family();
  const CommandSpec specs[] = {
      list_family.command("blpop", -3, blpop_command)
          .flags(blocking)
          .keys(KeyRange{1, -2, 1})
          .doc("Remove and get the first element in a list, or block until one is available",
               "2.0.0"),
      list_family.command("brpop", -3, brpop_command)
          .flags(blocking)
          .keys(KeyRange{1, -2, 1})
          .doc("Remove and get the last element in a list, or block until one is available",
               "2.0.0"),
      list_family.command("blmove", 6, blmove_command)
          .flags(blocking_oom)
          .keys(KeyRange{1, 2, 1})
          .doc("Pop an element from a list, push it to another list and return it; or block "
               "until one is available",
               "6.2.0"),
      list_family.command("brpoplpush", 4, brpoplpush_command)
          .flags(blocking_oom)
          .keys(KeyRange{1, 2, 1})
          .doc("Pop an element from a list, push it to another list and return it; or block "
               "until one is available",
               "2.2.0"),
      list_family.command("blmpop", -5, blmpop_command)
          .flags(flag_write | flag_blocking)
          .keys(no_keys)
          .key_finder(blmpop_keys)
          .doc("Pop elements from a list, or block until one is available", "7.0.0"),
  };
  for (const auto& spec : specs) table.add(spec);
}

}  // namespace ringcache::commands
