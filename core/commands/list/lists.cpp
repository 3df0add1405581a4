// The list family (non-blocking commands): pushes, pops, ranges, positions, moves. Replies,
// error words, keyspace events and propagation are Redis 7.0's (t_list.c), checked against
// redis-server by tests/process/test_differential.py (difflib_family_lists.py).

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/commands/arguments.h"
#include "core/commands/command.h"
#include "core/commands/list/list_access.h"
#include "core/commands/list/list_specs.h"
#include "core/server/pubsub/keyspace_events.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"

namespace ringcache::commands {
namespace {

using store::Entry;
using store::ListEnd;
using store::ListValue;

// --- pushes ----------------------------------------------------------------------------------

// LPUSH/RPUSH (only_existing: LPUSHX/RPUSHX).
void push_generic(CommandContext& ctx, ListEnd end, bool only_existing) {
  Entry* entry = nullptr;
  if (!find_list_for_write(ctx, ctx.argv[1], entry)) return;
  if (entry == nullptr && only_existing) return ctx.reply.integer(0);
  const size_t length = push_to_list(ctx, entry, ctx.argv[1], end, ctx.argv.subspan(2));
  ctx.reply.integer(static_cast<int64_t>(length));
}

void lpush_command(CommandContext& ctx) { push_generic(ctx, ListEnd::head, false); }
void rpush_command(CommandContext& ctx) { push_generic(ctx, ListEnd::tail, false); }
void lpushx_command(CommandContext& ctx) { push_generic(ctx, ListEnd::head, true); }
void rpushx_command(CommandContext& ctx) { push_generic(ctx, ListEnd::tail, true); }

// --- pops ------------------------------------------------------------------------------------

// LPOP/RPOP key [count]: one element (bulk or null), or with a count an array (null array when
// the key is missing).
void pop_generic(CommandContext& ctx, ListEnd end) {
  if (ctx.argv.size() > 3) {
    return ctx.reply.error(fmt::format("ERR wrong number of arguments for '{}' command",
                                       end == ListEnd::head ? "lpop" : "rpop"));
  }
  std::optional<int64_t> count;
  if (ctx.argv.size() == 3) {
    count = parse_int64(ctx.argv[2]);
    if (!count || *count < 0) return ctx.reply.error("ERR value is out of range, must be positive");
  }
  Entry* entry = nullptr;
  if (!find_list_for_write(ctx, ctx.argv[1], entry)) return;
  if (entry == nullptr) return count ? ctx.reply.null_array() : ctx.reply.null();
  if (!count) return ctx.reply.bulk(pop_from_list(ctx, entry, ctx.argv[1], end, 1).front());
  if (*count == 0) return ctx.reply.empty_array();
  const auto popped = pop_from_list(ctx, entry, ctx.argv[1], end, static_cast<size_t>(*count));
  ctx.reply.array(popped.size());
  for (const auto& element : popped) ctx.reply.bulk(element);
}

void lpop_command(CommandContext& ctx) { pop_generic(ctx, ListEnd::head); }
void rpop_command(CommandContext& ctx) { pop_generic(ctx, ListEnd::tail); }

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]; propagated as LPOP/RPOP key count.
void lmpop_command(CommandContext& ctx) {
  const auto args = parse_multi_pop(ctx, 1);
  if (!args) return;
  Entry* entry = nullptr;
  std::string_view key;
  if (!first_nonempty_list(ctx, args->keys, entry, key)) return;
  if (entry == nullptr) return ctx.reply.null_array();
  const auto popped = pop_from_list(ctx, entry, key, args->end, args->count);
  const std::string count = format_int64(static_cast<int64_t>(popped.size()));
  ctx.server.propagation().replace_with({args->end == ListEnd::head ? "LPOP" : "RPOP", key, count});
  reply_key_and_elements(ctx, key, popped);
}

// --- reads -----------------------------------------------------------------------------------

// Looks `key` up for reading; false after replying WRONGTYPE. `list` is nullptr when missing.
bool find_list_for_read(CommandContext& ctx, std::string_view key, const ListValue*& list) {
  Entry* entry = ctx.server.keyspace().find_read(key);
  if (reject_wrong_type(ctx, entry, store::ValueType::list)) return false;
  list = list_of(entry);
  return true;
}

void llen_command(CommandContext& ctx) {
  const ListValue* list = nullptr;
  if (!find_list_for_read(ctx, ctx.argv[1], list)) return;
  ctx.reply.integer(list == nullptr ? 0 : static_cast<int64_t>(list->size()));
}

// Redis' index rule: negative counts from the tail; nullopt when outside the list.
std::optional<size_t> list_index(int64_t index, size_t length) {
  if (index < 0) index += static_cast<int64_t>(length);
  if (index < 0 || static_cast<uint64_t>(index) >= length) return std::nullopt;
  return static_cast<size_t>(index);
}

void lindex_command(CommandContext& ctx) {
  const ListValue* list = nullptr;
  if (!find_list_for_read(ctx, ctx.argv[1], list)) return;
  if (list == nullptr) return ctx.reply.null();
  const auto index = int64_or_reply(ctx, ctx.argv[2]);
  if (!index) return;
  const auto at = list_index(*index, list->size());
  if (!at) return ctx.reply.null();
  ctx.reply.bulk(list->at(*at));
}

// A start/stop pair as LRANGE and LTRIM normalise it: [first, last] inside the list, or
// nullopt when the range is empty.
std::optional<std::pair<size_t, size_t>> list_range(int64_t start, int64_t stop, size_t length) {
  const auto len = static_cast<int64_t>(length);
  if (start < 0) start = std::max<int64_t>(start + len, 0);
  if (stop < 0) stop += len;
  if (start > stop || start >= len) return std::nullopt;
  stop = std::min(stop, len - 1);
  return std::pair{static_cast<size_t>(start), static_cast<size_t>(stop)};
}

// The start and stop arguments at argv[2] and argv[3]; nullopt after replying the error.
std::optional<std::pair<int64_t, int64_t>> parse_start_stop(CommandContext& ctx) {
  const auto start = int64_or_reply(ctx, ctx.argv[2]);
  if (!start) return std::nullopt;
  const auto stop = int64_or_reply(ctx, ctx.argv[3]);
  if (!stop) return std::nullopt;
  return std::pair{*start, *stop};
}

void lrange_command(CommandContext& ctx) {
  const auto bounds = parse_start_stop(ctx);
  if (!bounds) return;
  const ListValue* list = nullptr;
  if (!find_list_for_read(ctx, ctx.argv[1], list)) return;
  const auto range =
      list == nullptr ? std::nullopt : list_range(bounds->first, bounds->second, list->size());
  if (!range) return ctx.reply.empty_array();
  ctx.reply.array(range->second - range->first + 1);
  list->visit(range->first, false, [&](size_t index, std::string_view element) {
    ctx.reply.bulk(element);
    return index < range->second;
  });
}

// --- LPOS ------------------------------------------------------------------------------------

struct LposOptions {
  int64_t rank = 1;
  std::optional<int64_t> count;  // 0: every match
  int64_t maxlen = 0;            // 0: no limit
};

// One LPOS option with its value at argv[i], argv[i + 1]; false after replying the error.
bool apply_lpos_option(CommandContext& ctx, size_t i, LposOptions& options) {
  const std::string_view name = ctx.argv[i];
  const bool known = option_is(name, "RANK") || option_is(name, "COUNT") ||
                     option_is(name, "MAXLEN");
  if (!known || i + 1 >= ctx.argv.size()) {
    ctx.reply.error(errors::syntax);
    return false;
  }
  // Redis refuses a COUNT or MAXLEN that is not an integer with its "negative" words.
  const auto value = parse_int64(ctx.argv[i + 1]);
  if (!value && option_is(name, "RANK")) {
    ctx.reply.error(errors::not_integer);
    return false;
  }
  if (option_is(name, "RANK")) {
    if (*value == 0) {
      ctx.reply.error("ERR RANK can't be zero: use 1 to start from the first match, 2 from the "
                      "second ... or use negative to start from the end of the list");
      return false;
    }
    options.rank = *value;
  } else if (option_is(name, "COUNT")) {
    if (!value || *value < 0) {
      ctx.reply.error("ERR COUNT can't be negative");
      return false;
    }
    options.count = *value;
  } else {
    if (!value || *value < 0) {
      ctx.reply.error("ERR MAXLEN can't be negative");
      return false;
    }
    options.maxlen = *value;
  }
  return true;
}

void lpos_command(CommandContext& ctx) {
  LposOptions options;
  for (size_t i = 3; i < ctx.argv.size(); i += 2) {
    if (!apply_lpos_option(ctx, i, options)) return;
  }
  const ListValue* list = nullptr;
  if (!find_list_for_read(ctx, ctx.argv[1], list)) return;
  std::vector<int64_t> matches;
  if (list != nullptr && list->size() > 0) {
    const bool backward = options.rank < 0;
    // Redis skips |rank| - 1 matches; INT64_MIN's magnitude does not fit and acts as -1.
    const uint64_t skip = options.rank == INT64_MIN ? 0
                          : static_cast<uint64_t>(backward ? -options.rank : options.rank) - 1;
    const uint64_t wanted = options.count.value_or(1);
    uint64_t seen = 0;
    uint64_t compared = 0;
    list->visit(backward ? list->size() - 1 : 0, backward,
                [&](size_t index, std::string_view element) {
                  if (options.maxlen != 0 && compared++ == static_cast<uint64_t>(options.maxlen)) {
                    return false;
                  }
                  if (element != ctx.argv[2] || seen++ < skip) return true;
                  matches.push_back(static_cast<int64_t>(index));
                  return wanted == 0 || matches.size() < wanted;
                });
  }
  if (!options.count) {
    return matches.empty() ? ctx.reply.null() : ctx.reply.integer(matches.front());
  }
  ctx.reply.array(matches.size());
  for (int64_t index : matches) ctx.reply.integer(index);
}

// --- in-place writes -------------------------------------------------------------------------

void lset_command(CommandContext& ctx) {
  Entry* entry = ctx.server.keyspace().find_write(ctx.argv[1]);
  if (entry == nullptr) return ctx.reply.error(errors::no_such_key);
  if (reject_wrong_type(ctx, entry, store::ValueType::list)) return;
  const auto index = int64_or_reply(ctx, ctx.argv[2]);
  if (!index) return;
  ListValue* list = list_of(entry);
  const auto at = list_index(*index, list->size());
  if (!at) return ctx.reply.error("ERR index out of range");
  list->set(*at, ctx.argv[3], ctx.server.config().encoding.list_max_listpack_size);
  ctx.server.keyspace().collection_written(entry);
  ctx.server.notify_keyspace_event(server::event_list, "lset", ctx.argv[1]);
  ctx.server.key_modified(ctx.argv[1]);
  ctx.reply.ok();
}

void linsert_command(CommandContext& ctx) {
  const bool after = option_is(ctx.argv[2], "AFTER");
  if (!after && !option_is(ctx.argv[2], "BEFORE")) return ctx.reply.error(errors::syntax);
  Entry* entry = nullptr;
  if (!find_list_for_write(ctx, ctx.argv[1], entry)) return;
  if (entry == nullptr) return ctx.reply.integer(0);
  ListValue* list = list_of(entry);
  const int64_t fill = ctx.server.config().encoding.list_max_listpack_size;
  if (!list->insert_at_pivot(ctx.argv[3], ctx.argv[4], after, fill)) return ctx.reply.integer(-1);
  ctx.server.keyspace().collection_written(entry);
  ctx.server.notify_keyspace_event(server::event_list, "linsert", ctx.argv[1]);
  ctx.server.key_modified(ctx.argv[1]);
  ctx.reply.integer(static_cast<int64_t>(list->size()));
}

// After LREM/LTRIM removed elements: the event, the key's removal when it emptied, the change.
void report_removal(CommandContext& ctx, Entry* entry, std::string_view event) {
  const bool removed = ctx.server.keyspace().collection_written(entry);
  ctx.server.notify_keyspace_event(server::event_list, event, ctx.argv[1]);
  if (removed) ctx.server.notify_keyspace_event(server::event_generic, "del", ctx.argv[1]);
  ctx.server.key_modified(ctx.argv[1]);
}

void lrem_command(CommandContext& ctx) {
  const auto count = int64_or_reply(ctx, ctx.argv[2]);
  if (!count) return;
  Entry* entry = nullptr;
  if (!find_list_for_write(ctx, ctx.argv[1], entry)) return;
  if (entry == nullptr) return ctx.reply.integer(0);
  // |INT64_MIN| does not fit in int64 but does in the unsigned limit.
  const uint64_t limit = *count < 0 ? 0 - static_cast<uint64_t>(*count) : *count;
  const size_t removed = list_of(entry)->remove(
      ctx.argv[3], static_cast<size_t>(limit), *count < 0 ? ListEnd::tail : ListEnd::head);
  if (removed > 0) report_removal(ctx, entry, "lrem");
  ctx.reply.integer(static_cast<int64_t>(removed));
}

void ltrim_command(CommandContext& ctx) {
  const auto bounds = parse_start_stop(ctx);
  if (!bounds) return;
  Entry* entry = nullptr;
  if (!find_list_for_write(ctx, ctx.argv[1], entry)) return;
  if (entry == nullptr) return ctx.reply.ok();
  ListValue* list = list_of(entry);
  const size_t length = list->size();
  const auto range = list_range(bounds->first, bounds->second, length);
  if (!range) {
    list->erase(ListEnd::head, length);
  } else {
    list->erase(ListEnd::tail, length - 1 - range->second);
    list->erase(ListEnd::head, range->first);
  }
  report_removal(ctx, entry, "ltrim");
  ctx.reply.ok();
}

// --- moves -----------------------------------------------------------------------------------

void move_generic(CommandContext& ctx, ListEnd from, ListEnd to) {
  if (move_if_source_exists(ctx, ctx.argv[1], ctx.argv[2], from, to) ==
      MoveOutcome::source_missing) {
    ctx.reply.null();
  }
}

void lmove_command(CommandContext& ctx) {
  const auto from = parse_list_end(ctx.argv[3]);
  const auto to = parse_list_end(ctx.argv[4]);
  if (!from || !to) return ctx.reply.error(errors::syntax);
  move_generic(ctx, *from, *to);
}

void rpoplpush_command(CommandContext& ctx) { move_generic(ctx, ListEnd::tail, ListEnd::head); }

std::vector<int> lmpop_keys(std::span<const std::string_view> argv) {
  return multi_pop_keys(argv, 1);
}

}  // namespace

void register_list_commands(CommandTable& table) {
  const SpecBuilder list_family = make_list_family();
  const CommandSpec specs[] = {
      list_family.command("lpush", -3, lpush_command)
          .flags(write_oom_fast)
          .doc("Prepend one or multiple elements to a list", "1.0.0"),
      list_family.command("rpush", -3, rpush_command)
          .flags(write_oom_fast)
          .doc("Append one or multiple elements to a list", "1.0.0"),
      list_family.command("lpushx", -3, lpushx_command)
          .flags(write_oom_fast)
          .doc("Prepend an element to a list, only if the list exists", "2.2.0"),
      list_family.command("rpushx", -3, rpushx_command)
          .flags(write_oom_fast)
          .doc("Append an element to a list, only if the list exists", "2.2.0"),
      list_family.command("lpop", -2, lpop_command)
          .flags(write_fast)
          .doc("Remove and get the first elements in a list", "1.0.0"),
      list_family.command("rpop", -2, rpop_command)
          .flags(write_fast)
          .doc("Remove and get the last elements in a list", "1.0.0"),
      list_family.command("llen", 2, llen_command)
          .flags(read_fast)
          .doc("Get the length of a list", "1.0.0"),
      list_family.command("lrange", 4, lrange_command)
          .flags(flag_readonly)
          .doc("Get a range of elements from a list", "1.0.0"),
      list_family.command("lindex", 3, lindex_command)
          .flags(flag_readonly)
          .doc("Get an element from a list by its index", "1.0.0"),
      list_family.command("lset", 4, lset_command)
          .flags(write_oom)
          .doc("Set the value of an element in a list by its index", "1.0.0"),
      list_family.command("linsert", 5, linsert_command)
          .flags(write_oom)
          .doc("Insert an element before or after another element in a list", "2.2.0"),
      list_family.command("lrem", 4, lrem_command)
          .flags(flag_write)
          .doc("Remove elements from a list", "1.0.0"),
      list_family.command("ltrim", 4, ltrim_command)
          .flags(flag_write)
          .doc("Trim a list to the specified range", "1.0.0"),
      list_family.command("lpos", -3, lpos_command)
          .flags(flag_readonly)
          .doc("Return the index of matching elements on a list", "6.0.6"),
      list_family.command("lmove", 5, lmove_command)
          .flags(write_oom)
          .keys(two_keys)
          .doc("Pop an element from a list, push it to another list and return it", "6.2.0"),
      list_family.command("rpoplpush", 3, rpoplpush_command)
          .flags(write_oom)
          .keys(two_keys)
          .doc("Remove the last element in a list, prepend it to another list and return it",
               "1.2.0"),
      list_family.command("lmpop", -4, lmpop_command)
          .flags(flag_write)
          .keys(no_keys)
          .key_finder(lmpop_keys)
          .doc("Pop elements from a list", "7.0.0"),
  };
  for (const auto& spec : specs) table.add(spec);
  register_blocking_list_commands(table);
}

}  // namespace ringcache::commands
