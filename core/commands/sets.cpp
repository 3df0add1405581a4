// The set family: membership, random picks, moves, and the algebra (SINTER/SUNION/SDIFF and
// their STORE forms). Replies, errors, keyspace events and propagation are Redis 7.0's
// (t_set.c), checked against redis-server by tests/process/test_differential.py
// (difflib_family_sets.py).

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/commands/arguments.h"
#include "core/commands/command.h"
#include "core/commands/random_elements.h"
#include "core/commands/scan_options.h"
#include "core/commands/spec_builder.h"
#include "core/constants.h"
#include "core/server/pubsub/keyspace_events.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"
#include "core/store/set_value.h"

namespace ringcache::commands {
namespace {

using store::Entry;
using store::SetValue;

SetValue& set_of(Entry* entry) { return *static_cast<SetValue*>(entry->collection()); }

Rng& rng_of(CommandContext& ctx) { return ctx.server.runtime().rng(); }

// The set at `key` for reading: nullptr when absent, nullopt after replying WRONGTYPE.
std::optional<const SetValue*> read_set(CommandContext& ctx, std::string_view key) {
  Entry* entry = ctx.server.keyspace().find_read(key);
  if (reject_wrong_type(ctx, entry, store::ValueType::set)) return std::nullopt;
  return entry == nullptr ? nullptr : &set_of(entry);
}

// The set at `key` for writing: nullptr when absent or after replying WRONGTYPE (`failed`).
Entry* find_set_for_write(CommandContext& ctx, std::string_view key, bool& failed) {
  Entry* entry = ctx.server.keyspace().find_write(key);
  failed = reject_wrong_type(ctx, entry, store::ValueType::set);
  return failed ? nullptr : entry;
}

// Accounts a write to the set at `key`; when `changed`, signals it under `event` (and "del"
// when the set became empty and went away). Returns whether the key went away.
bool finish_write(CommandContext& ctx, std::string_view key, Entry* entry, bool changed,
                  std::string_view event) {
  const bool removed = ctx.server.keyspace().collection_written(entry);
  if (!changed) return removed;
  ctx.server.key_modified(key);
  ctx.server.notify_keyspace_event(server::event_set, event, key);
  if (removed) ctx.server.notify_keyspace_event(server::event_generic, "del", key);
  return removed;
}

bool add_member(CommandContext& ctx, SetValue& set, std::string_view member) {
  return set.add(member, ctx.server.config().encoding, rng_of(ctx));
}

std::vector<std::string> members_of(const SetValue& set) {
  std::vector<std::string> members;
  members.reserve(set.size());
  set.for_each([&](std::string_view member) { members.emplace_back(member); });
  return members;
}

void reply_members(CommandContext& ctx, const std::vector<std::string>& members, bool as_set) {
  if (as_set) {
    ctx.reply.set(members.size());
  } else {
    ctx.reply.array(members.size());
  }
  for (const auto& member : members) ctx.reply.bulk(member);
}

// --- membership --------------------------------------------------------------------------------

void sadd_command(CommandContext& ctx) {
  bool failed = false;
  Entry* entry = find_set_for_write(ctx, ctx.argv[1], failed);
  if (failed) return;
  if (entry == nullptr) {
    entry = ctx.server.keyspace().add_collection(ctx.argv[1], std::make_unique<SetValue>());
  }
  int64_t added = 0;
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    if (add_member(ctx, set_of(entry), ctx.argv[i])) ++added;
  }
  set_of(entry).shrink_to_fit();
  finish_write(ctx, ctx.argv[1], entry, added > 0, "sadd");
  ctx.reply.integer(added);
}

void srem_command(CommandContext& ctx) {
  bool failed = false;
  Entry* entry = find_set_for_write(ctx, ctx.argv[1], failed);
  if (failed) return;
  if (entry == nullptr) return ctx.reply.integer(0);
  int64_t removed = 0;
  for (size_t i = 2; i < ctx.argv.size() && set_of(entry).size() > 0; ++i) {
    if (set_of(entry).remove(ctx.argv[i])) ++removed;
  }
  finish_write(ctx, ctx.argv[1], entry, removed > 0, "srem");
  ctx.reply.integer(removed);
}

void scard_command(CommandContext& ctx) {
  const auto set = read_set(ctx, ctx.argv[1]);
  if (!set) return;
  ctx.reply.integer(*set == nullptr ? 0 : static_cast<int64_t>((*set)->size()));
}

void sismember_command(CommandContext& ctx) {
  const auto set = read_set(ctx, ctx.argv[1]);
  if (!set) return;
  ctx.reply.integer(*set != nullptr && (*set)->contains(ctx.argv[2]) ? 1 : 0);
}

void smismember_command(CommandContext& ctx) {
  const auto set = read_set(ctx, ctx.argv[1]);
  if (!set) return;
  ctx.reply.array(ctx.argv.size() - 2);
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    ctx.reply.integer(*set != nullptr && (*set)->contains(ctx.argv[i]) ? 1 : 0);
  }
}

void smove_command(CommandContext& ctx) {
  const std::string_view source = ctx.argv[1];
  const std::string_view destination = ctx.argv[2];
  const std::string_view member = ctx.argv[3];
  auto& keyspace = ctx.server.keyspace();
  Entry* from = keyspace.find_write(source);
  Entry* to = keyspace.find_write(destination);
  if (from == nullptr) return ctx.reply.integer(0);
  if (reject_wrong_type(ctx, from, store::ValueType::set) ||
      reject_wrong_type(ctx, to, store::ValueType::set)) {
    return;
  }
  if (from == to) return ctx.reply.integer(set_of(from).contains(member) ? 1 : 0);
  if (!set_of(from).remove(member)) return ctx.reply.integer(0);
  finish_write(ctx, source, from, true, "srem");
  // Looked up again: removing the emptied source may have changed the keyspace.
  to = keyspace.find_write(destination);
  if (to == nullptr) to = keyspace.add_collection(destination, std::make_unique<SetValue>());
  const bool added = add_member(ctx, set_of(to), member);
  finish_write(ctx, destination, to, added, "sadd");
  ctx.reply.integer(1);
}

// --- random picks ------------------------------------------------------------------------------

std::vector<std::string> pick_members(CommandContext& ctx, const SetValue& set, int64_t count) {
  return pick_random_elements(
      rng_of(ctx), count, set.size(), [&] { return members_of(set); },
      [&] { return set.random(rng_of(ctx)); },
      [](const std::string& member) { return std::string_view(member); });
}

void srandmember_command(CommandContext& ctx) {
  if (ctx.argv.size() > 3) return ctx.reply.error(errors::syntax);
  if (ctx.argv.size() == 3) {
    const auto count = int64_or_reply(ctx, ctx.argv[2]);
    if (!count) return;
    if (*count == INT64_MIN) return ctx.reply.error(errors::count_out_of_range);
    const auto set = read_set(ctx, ctx.argv[1]);
    if (!set) return;
    if (*set == nullptr || *count == 0) return ctx.reply.array(0);
    return reply_members(ctx, pick_members(ctx, **set, *count), false);
  }
  const auto set = read_set(ctx, ctx.argv[1]);
  if (!set) return;
  if (*set == nullptr) return ctx.reply.null();
  ctx.reply.bulk((*set)->random(rng_of(ctx)));
}

// Propagates the removal of `members` from `key` as SREM commands (replaying SPOP would choose
// other members).
void propagate_srem(CommandContext& ctx, std::string_view key,
                    const std::vector<std::string>& members) {
  for (size_t first = 0; first < members.size();
       first += constants::rebuild_items_per_command_max) {
    std::vector<std::string_view> argv{"SREM", key};
    const size_t last = std::min(members.size(), first + constants::rebuild_items_per_command_max);
    argv.insert(argv.end(), members.begin() + first, members.begin() + last);
    ctx.server.propagation().replace_with(argv);
  }
}

// SPOP key count: RESP3 replies a set. Taking everything deletes the key, propagated as DEL.
void spop_with_count(CommandContext& ctx) {
  const auto count = parse_int64(ctx.argv[2]);
  if (!count || *count < 0) return ctx.reply.error("ERR value is out of range, must be positive");
  const std::string_view key = ctx.argv[1];
  bool failed = false;
  Entry* entry = find_set_for_write(ctx, key, failed);
  if (failed) return;
  if (entry == nullptr || *count == 0) return ctx.reply.set(0);
  SetValue& set = set_of(entry);
  const bool everything = static_cast<uint64_t>(*count) >= set.size();
  // Redis answers this case through SUNION of the key, whose read lookup counts a hit.
  if (everything) ++ctx.server.keyspace().stats().keyspace_hits;
  const auto popped = everything ? members_of(set) : pick_members(ctx, set, *count);
  for (const auto& member : popped) set.remove(member);
  finish_write(ctx, key, entry, true, "spop");
  if (everything) {
    ctx.server.propagation().replace_with({"DEL", key});
  } else {
    propagate_srem(ctx, key, popped);
  }
  reply_members(ctx, popped, true);
}

void spop_command(CommandContext& ctx) {
  if (ctx.argv.size() > 3) return ctx.reply.error(errors::syntax);
  if (ctx.argv.size() == 3) return spop_with_count(ctx);
  const std::string_view key = ctx.argv[1];
  bool failed = false;
  Entry* entry = find_set_for_write(ctx, key, failed);
  if (failed) return;
  if (entry == nullptr) return ctx.reply.null();
  const std::string member = set_of(entry).random(rng_of(ctx));
  set_of(entry).remove(member);
  finish_write(ctx, key, entry, true, "spop");
  ctx.server.propagation().replace_with({"SREM", key, member});
  ctx.reply.bulk(member);
}

// --- algebra -----------------------------------------------------------------------------------

enum class SetOp { inter, sunion, diff };

// The sets named by argv[first, last): absent keys are nullptr. nullopt after WRONGTYPE (every
// key is checked before any work, as Redis does).
std::optional<std::vector<const SetValue*>> read_sets(CommandContext& ctx, size_t first,
                                                      size_t last) {
  std::vector<const SetValue*> sets;
  for (size_t i = first; i < last; ++i) {
    const auto set = read_set(ctx, ctx.argv[i]);
    if (!set) return std::nullopt;
    sets.push_back(*set);
  }
  return sets;
}

// SINTER's members (stopping at `limit` when it is not 0), walking the smallest set.
std::vector<std::string> intersect(std::vector<const SetValue*> sets, size_t limit = 0) {
  std::vector<std::string> members;
  if (std::find(sets.begin(), sets.end(), nullptr) != sets.end()) return members;
  std::sort(sets.begin(), sets.end(),
            [](const SetValue* a, const SetValue* b) { return a->size() < b->size(); });
  sets.front()->for_each([&](std::string_view member) {
    if (limit != 0 && members.size() >= limit) return;
    const bool everywhere = std::all_of(sets.begin() + 1, sets.end(), [&](const SetValue* set) {
      return set->contains(member);
    });
    if (everywhere) members.emplace_back(member);
  });
  return members;
}

// SUNION's or SDIFF's members, built as a set (so they are distinct).
std::unique_ptr<SetValue> union_or_diff(CommandContext& ctx,
                                        const std::vector<const SetValue*>& sets, SetOp op) {
  auto result = std::make_unique<SetValue>();
  if (op == SetOp::sunion) {
    for (const SetValue* set : sets) {
      if (set != nullptr) set->for_each([&](std::string_view m) { add_member(ctx, *result, m); });
    }
    return result;
  }
  if (sets.front() == nullptr) return result;
  sets.front()->for_each([&](std::string_view member) {
    const bool elsewhere = std::any_of(sets.begin() + 1, sets.end(), [&](const SetValue* set) {
      return set != nullptr && set->contains(member);
    });
    if (!elsewhere) add_member(ctx, *result, member);
  });
  return result;
}

std::unique_ptr<SetValue> set_from(CommandContext& ctx, const std::vector<std::string>& members) {
  auto result = std::make_unique<SetValue>();
  for (const auto& member : members) add_member(ctx, *result, member);
  return result;
}

std::unique_ptr<SetValue> compute(CommandContext& ctx, const std::vector<const SetValue*>& sets,
                                  SetOp op) {
  if (op == SetOp::inter) return set_from(ctx, intersect(sets));
  return union_or_diff(ctx, sets, op);
}

// SINTER, SUNION, SDIFF: the members, as a set in RESP3.
void set_op_command(CommandContext& ctx, SetOp op) {
  const auto sets = read_sets(ctx, 1, ctx.argv.size());
  if (!sets) return;
  if (op == SetOp::inter) return reply_members(ctx, intersect(*sets), true);
  reply_members(ctx, members_of(*union_or_diff(ctx, *sets, op)), true);
}

void sinter_command(CommandContext& ctx) { set_op_command(ctx, SetOp::inter); }
void sunion_command(CommandContext& ctx) { set_op_command(ctx, SetOp::sunion); }
void sdiff_command(CommandContext& ctx) { set_op_command(ctx, SetOp::diff); }
// SMEMBERS is SINTER of one set, as in Redis.
void smembers_command(CommandContext& ctx) { set_op_command(ctx, SetOp::inter); }

// SINTERSTORE, SUNIONSTORE, SDIFFSTORE destination key...: the result replaces the destination
// (whatever its type, without TTL); an empty result deletes it.
void set_op_store_command(CommandContext& ctx, SetOp op, std::string_view event) {
  const auto sets = read_sets(ctx, 2, ctx.argv.size());
  if (!sets) return;
  auto result = compute(ctx, *sets, op);
  result->shrink_to_fit();
  const auto size = static_cast<int64_t>(result->size());
  const std::string_view destination = ctx.argv[1];
  auto& keyspace = ctx.server.keyspace();
  const bool existed = keyspace.peek(destination) != nullptr;
  keyspace.store_collection(destination, std::move(result));
  if (size > 0) {
    ctx.server.key_modified(destination);
    ctx.server.notify_keyspace_event(server::event_set, event, destination);
  } else if (existed) {
    ctx.server.key_modified(destination);
    ctx.server.notify_keyspace_event(server::event_generic, "del", destination);
  }
  ctx.reply.integer(size);
}

void sinterstore_command(CommandContext& ctx) {
  set_op_store_command(ctx, SetOp::inter, "sinterstore");
}
void sunionstore_command(CommandContext& ctx) {
  set_op_store_command(ctx, SetOp::sunion, "sunionstore");
}
void sdiffstore_command(CommandContext& ctx) {
  set_op_store_command(ctx, SetOp::diff, "sdiffstore");
}

// SINTERCARD numkeys key... [LIMIT limit]: numkeys, then the LIMIT option, then the keys.
std::optional<int64_t> sintercard_numkeys(CommandContext& ctx) {
  const auto numkeys = parse_int64(ctx.argv[1]);
  if (!numkeys || *numkeys < 1) {
    ctx.reply.error("ERR numkeys should be greater than 0");
    return std::nullopt;
  }
  if (*numkeys > static_cast<int64_t>(ctx.argv.size()) - 2) {
    ctx.reply.error("ERR Number of keys can't be greater than number of args");
    return std::nullopt;
  }
  return numkeys;
}

void sintercard_command(CommandContext& ctx) {
  const auto numkeys = sintercard_numkeys(ctx);
  if (!numkeys) return;
  const size_t first_option = 2 + static_cast<size_t>(*numkeys);
  int64_t limit = 0;
  for (size_t i = first_option; i < ctx.argv.size(); i += 2) {
    if (i + 1 >= ctx.argv.size() || !option_is(ctx.argv[i], "LIMIT")) {
      return ctx.reply.error(errors::syntax);
    }
    const auto value = parse_int64(ctx.argv[i + 1]);
    if (!value || *value < 0) return ctx.reply.error("ERR LIMIT can't be negative");
    limit = *value;
  }
  const auto sets = read_sets(ctx, 2, first_option);
  if (!sets) return;
  ctx.reply.integer(static_cast<int64_t>(intersect(*sets, static_cast<size_t>(limit)).size()));
}

// SINTERCARD's keys: argv[2 .. 2+numkeys), for COMMAND GETKEYS and cluster routing.
std::vector<int> sintercard_keys(std::span<const std::string_view> argv) {
  std::vector<int> keys;
  const auto numkeys = argv.size() > 1 ? parse_int64(argv[1]) : std::nullopt;
  if (!numkeys || *numkeys < 1 || *numkeys > static_cast<int64_t>(argv.size()) - 2) return keys;
  for (int i = 0; i < *numkeys; ++i) keys.push_back(2 + i);
  return keys;
}

void sscan_command(CommandContext& ctx) {
  const auto scan = begin_collection_scan(ctx, store::ValueType::set);
  if (!scan) return;
  const SetValue& set = set_of(scan->entry);
  reply_collection_scan(ctx, *scan, 1, [&](uint64_t cursor, std::vector<std::string>& out) {
    return set.scan(cursor, [&](std::string_view member) { out.emplace_back(member); });
  });
}

// --- registration ------------------------------------------------------------------------------

}  // namespace

void register_set_commands(CommandTable& table) {
  const SpecBuilder set_family = SpecBuilder::family("set", data_acl("@set"), one_key);
  const CommandSpec specs[] = {
      set_family.command("sadd", -3, sadd_command)
          .flags(write_fast | flag_denyoom)
          .doc("Add one or more members to a set", "1.0.0"),
      set_family.command("srem", -3, srem_command)
          .flags(write_fast)
          .doc("Remove one or more members from a set", "1.0.0"),
      set_family.command("scard", 2, scard_command)
          .flags(read_fast)
          .doc("Get the number of members in a set", "1.0.0"),
      set_family.command("sismember", 3, sismember_command)
          .flags(read_fast)
          .doc("Determine if a given value is a member of a set", "1.0.0"),
      set_family.command("smismember", -3, smismember_command)
          .flags(read_fast)
          .doc("Returns the membership associated with the given elements for a set", "6.2.0"),
      set_family.command("smembers", 2, smembers_command)
          .flags(flag_readonly)
          .doc("Get all the members in a set", "1.0.0"),
      set_family.command("srandmember", -2, srandmember_command)
          .flags(flag_readonly)
          .doc("Get one or multiple random members from a set", "1.0.0"),
      set_family.command("spop", -2, spop_command)
          .flags(write_fast)
          .doc("Remove and return one or multiple random members from a set", "1.0.0"),
      set_family.command("smove", 4, smove_command)
          .flags(write_fast)
          .keys({1, 2, 1})
          .doc("Move a member from one set to another", "1.0.0"),
      set_family.command("sinter", -2, sinter_command)
          .flags(flag_readonly)
          .keys(all_keys)
          .doc("Intersect multiple sets", "1.0.0"),
      set_family.command("sunion", -2, sunion_command)
          .flags(flag_readonly)
          .keys(all_keys)
          .doc("Add multiple sets", "1.0.0"),
      set_family.command("sdiff", -2, sdiff_command)
          .flags(flag_readonly)
          .keys(all_keys)
          .doc("Subtract multiple sets", "1.0.0"),
      set_family.command("sinterstore", -3, sinterstore_command)
          .flags(write_oom)
          .keys(all_keys)
          .doc("Intersect multiple sets and store the resulting set in a key", "1.0.0"),
      set_family.command("sunionstore", -3, sunionstore_command)
          .flags(write_oom)
          .keys(all_keys)
          .doc("Add multiple sets and store the resulting set in a key", "1.0.0"),
      set_family.command("sdiffstore", -3, sdiffstore_command)
          .flags(write_oom)
          .keys(all_keys)
          .doc("Subtract multiple sets and store the resulting set in a key", "1.0.0"),
      set_family.command("sscan", -3, sscan_command)
          .flags(flag_readonly)
          .doc("Incrementally iterate Set elements", "2.8.0"),
      set_family.command("sintercard", -3, sintercard_command)
          .flags(flag_readonly)
          .keys(no_keys)
          .key_finder(sintercard_keys)
          .doc("Intersect multiple sets and return the cardinality of the result", "7.0.0"),
  };
  for (const auto& spec : specs) table.add(spec);
}

}  // namespace ringcache::commands
