// The generic key family: existence, deletion, expiry, renaming, iteration and OBJECT. Replies
// and error words are Redis 7.0's (db.c, expire.c, object.c).

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/commands/arguments.h"
#include "core/commands/command.h"
#include "core/commands/keys/keys_family.h"
#include "core/commands/propagate_as.h"
#include "core/commands/scan_options.h"
#include "core/commands/spec_builder.h"
#include "core/constants.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"
#include "core/util/glob.h"

namespace ringcache::commands {
namespace {

using store::Entry;
using store::no_expiry;

store::Keyspace& keyspace_of(CommandContext& ctx) { return ctx.server.keyspace(); }

// A read that leaves the key's access time alone but counts as a hit or miss, as Redis' lookups
// with LOOKUP_NOTOUCH do (EXISTS, TYPE, TTL, OBJECT).
Entry* inspect(CommandContext& ctx, std::string_view key) {
  auto& keyspace = keyspace_of(ctx);
  Entry* entry = keyspace.peek(key);
  ++(entry != nullptr ? keyspace.stats().keyspace_hits : keyspace.stats().keyspace_misses);
  return entry;
}

// A generic command's keyspace notification ("del", "expire", "rename_from", ...).
void notify_generic(CommandContext& ctx, std::string_view event, std::string_view key) {
  ctx.server.notify_keyspace_event(server::event_generic, event, key);
}

// --- existence and deletion ------------------------------------------------------------------

void del_command(CommandContext& ctx) {
  int64_t deleted = 0;
  for (size_t i = 1; i < ctx.argv.size(); ++i) {
    if (!keyspace_of(ctx).erase(ctx.argv[i])) continue;
    ++deleted;
    ctx.server.key_modified(ctx.argv[i]);
    notify_generic(ctx, "del", ctx.argv[i]);
  }
  ctx.reply.integer(deleted);
}

// EXISTS counts a key named twice twice, and leaves access times alone; TOUCH updates them.
void count_existing(CommandContext& ctx, bool touch) {
  int64_t found = 0;
  for (size_t i = 1; i < ctx.argv.size(); ++i) {
    auto& keyspace = keyspace_of(ctx);
    if ((touch ? keyspace.find_read(ctx.argv[i]) : inspect(ctx, ctx.argv[i])) != nullptr) ++found;
  }
  ctx.reply.integer(found);
}

void exists_command(CommandContext& ctx) { count_existing(ctx, false); }
void touch_command(CommandContext& ctx) { count_existing(ctx, true); }

void type_command(CommandContext& ctx) {
  const Entry* entry = inspect(ctx, ctx.argv[1]);
  ctx.reply.simple(entry == nullptr ? "none" : store::type_name(entry->type()));
}

// --- expiry ----------------------------------------------------------------------------------

enum ExpireCondition : unsigned { cond_nx = 1, cond_xx = 2, cond_gt = 4, cond_lt = 8 };

// EXPIRE's NX/XX/GT/LT (from argv[3] on); nullopt after replying the error.
std::optional<unsigned> parse_expire_conditions(CommandContext& ctx) {
  unsigned flags = 0;
  for (size_t i = 3; i < ctx.argv.size(); ++i) {
    const std::string_view arg = ctx.argv[i];
    if (option_is(arg, "NX")) {
      flags |= cond_nx;
    } else if (option_is(arg, "XX")) {
      flags |= cond_xx;
    } else if (option_is(arg, "GT")) {
      flags |= cond_gt;
    } else if (option_is(arg, "LT")) {
      flags |= cond_lt;
    } else {
      ctx.reply.error("ERR Unsupported option " + std::string(arg));
      return std::nullopt;
    }
  }
  if ((flags & cond_nx) && (flags & (cond_xx | cond_gt | cond_lt))) {
    ctx.reply.error("ERR NX and XX, GT or LT options at the same time are not compatible");
    return std::nullopt;
  }
  if ((flags & cond_gt) && (flags & cond_lt)) {
    ctx.reply.error("ERR GT and LT options at the same time are not compatible");
    return std::nullopt;
  }
  return flags;
}

// Whether NX/XX/GT/LT let `at_ms` replace `current` (no_expiry counts as an infinite TTL).
bool expire_condition_holds(unsigned flags, int64_t current, int64_t at_ms) {
  const bool has = current != no_expiry;
  if ((flags & cond_nx) && has) return false;
  if ((flags & cond_xx) && !has) return false;
  if ((flags & cond_gt) && (!has || at_ms <= current)) return false;
  if ((flags & cond_lt) && has && at_ms >= current) return false;
  return true;
}

// The absolute expiry EXPIRE & co. ask for: argv[2] in `unit_ms` units, plus `base_ms`. Unlike
// SET's, a negative or past time is valid (it deletes the key); only overflow is refused.
std::optional<int64_t> expire_target_or_reply(CommandContext& ctx, int64_t unit_ms, int64_t base_ms,
                                              std::string_view command) {
  const auto value = int64_or_reply(ctx, ctx.argv[2]);
  if (!value) return std::nullopt;
  std::optional<int64_t> at_ms;
  int64_t scaled = 0;
  if (!__builtin_mul_overflow(*value, unit_ms, &scaled)) at_ms = checked_add(scaled, base_ms);
  if (!at_ms) ctx.reply.error(errors::invalid_expire_time(command));
  return at_ms;
}

// EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT.
void expire_generic(CommandContext& ctx, int64_t unit_ms, bool relative, std::string_view command) {
  const auto conditions = parse_expire_conditions(ctx);
  if (!conditions) return;
  auto& keyspace = keyspace_of(ctx);
  const auto at_ms =
      expire_target_or_reply(ctx, unit_ms, relative ? keyspace.now_ms() : 0, command);
  if (!at_ms) return;
  const std::string_view key = ctx.argv[1];
  Entry* entry = keyspace.find_write(key);
  if (entry == nullptr || !expire_condition_holds(*conditions, entry->expire_at_ms(), *at_ms)) {
    return ctx.reply.integer(0);
  }
  const bool deletes = past_expiry_deletes(ctx, *at_ms);
  if (deletes) {
    keyspace.erase(key);
    propagate_as_del(ctx, key);
  } else {
    keyspace.set_expire(entry, *at_ms);
    propagate_as_pexpireat(ctx, key, *at_ms);
  }
  ctx.server.key_modified(key);
  notify_generic(ctx, deletes ? "del" : "expire", key);
  ctx.reply.integer(1);
}

void expire_command(CommandContext& ctx) { expire_generic(ctx, 1000, true, "expire"); }
void pexpire_command(CommandContext& ctx) { expire_generic(ctx, 1, true, "pexpire"); }
void expireat_command(CommandContext& ctx) { expire_generic(ctx, 1000, false, "expireat"); }
void pexpireat_command(CommandContext& ctx) { expire_generic(ctx, 1, false, "pexpireat"); }

// TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 without the key, -1 without an expiry; seconds are
// rounded to the nearest, as Redis does.
void ttl_generic(CommandContext& ctx, bool in_ms, bool absolute) {
  auto& keyspace = keyspace_of(ctx);
  const Entry* entry = inspect(ctx, ctx.argv[1]);
  if (entry == nullptr) return ctx.reply.integer(-2);
  if (!entry->has_expiry()) return ctx.reply.integer(-1);
  int64_t value = entry->expire_at_ms();
  if (!absolute) value = std::max<int64_t>(value - keyspace.now_ms(), 0);
  // Rounded without forming value + 500, which overflows for expiry times near INT64_MAX.
  ctx.reply.integer(in_ms ? value : value / 1000 + (value % 1000 >= 500 ? 1 : 0));
}

void ttl_command(CommandContext& ctx) { ttl_generic(ctx, false, false); }
void pttl_command(CommandContext& ctx) { ttl_generic(ctx, true, false); }
void expiretime_command(CommandContext& ctx) { ttl_generic(ctx, false, true); }
void pexpiretime_command(CommandContext& ctx) { ttl_generic(ctx, true, true); }

void persist_command(CommandContext& ctx) {
  auto& keyspace = keyspace_of(ctx);
  Entry* entry = keyspace.find_write(ctx.argv[1]);
  if (entry == nullptr || !entry->has_expiry()) return ctx.reply.integer(0);
  keyspace.set_expire(entry, no_expiry);
  ctx.server.key_modified(ctx.argv[1]);
  notify_generic(ctx, "persist", ctx.argv[1]);
  ctx.reply.integer(1);
}

// --- renaming --------------------------------------------------------------------------------

void rename_generic(CommandContext& ctx, bool nx) {
  auto& keyspace = keyspace_of(ctx);
  const std::string_view from = ctx.argv[1];
  const std::string_view to = ctx.argv[2];
  if (keyspace.find_write(from) == nullptr) return ctx.reply.error(errors::no_such_key);
  const bool replaces = from != to && keyspace.find_write(to) != nullptr;
  if (from == to || (nx && replaces)) {
    return nx ? ctx.reply.integer(0) : ctx.reply.ok();
  }
  // Looked up again: the destination's lookup may have expired keys since.
  keyspace.rename(keyspace.peek(from), to);
  ctx.server.key_modified(from);
  ctx.server.key_modified(to);
  notify_generic(ctx, "rename_from", from);
  notify_generic(ctx, "rename_to", to);
  return nx ? ctx.reply.integer(1) : ctx.reply.ok();
}

void rename_command(CommandContext& ctx) { rename_generic(ctx, false); }
void renamenx_command(CommandContext& ctx) { rename_generic(ctx, true); }

// --- iteration -------------------------------------------------------------------------------

void keys_command(CommandContext& ctx) {
  const std::string_view pattern = ctx.argv[1];
  const bool all = pattern_matches_all(pattern);
  std::vector<std::string> keys;
  keyspace_of(ctx).for_each([&](const Entry& entry) {
    if (all || util::glob_match(pattern, entry.key())) keys.emplace_back(entry.key());
  });
  ctx.reply.array(keys.size());
  for (const auto& key : keys) ctx.reply.bulk(key);
}

// Pattern first, then type; Redis reads the type with a lookup that counts as a keyspace hit.
bool scan_selects(CommandContext& ctx, const ScanOptions& options, const Entry& entry) {
  if (!scan_pattern_selects(options, entry.key())) return false;
  if (!options.type) return true;
  ++keyspace_of(ctx).stats().keyspace_hits;
  return option_is(*options.type, store::type_name(entry.type()));
}

void scan_command(CommandContext& ctx) {
  const auto start = parse_cursor(ctx.argv[1]);
  if (!start) return ctx.reply.error(errors::invalid_cursor);
  const auto options = parse_scan_options(ctx, 2, true);
  if (!options) return;
  // Like Redis: gather about `count` keys, visiting at most ten times as many buckets.
  const auto count = static_cast<size_t>(std::min(options->count, constants::scan_count_max));
  std::vector<std::string> keys;
  uint64_t cursor = *start;
  size_t buckets_left = count * 10;
  do {
    cursor = keyspace_of(ctx).scan(cursor, 1, [&](const Entry& entry) {
      if (scan_selects(ctx, *options, entry)) keys.emplace_back(entry.key());
    });
  } while (cursor != 0 && --buckets_left > 0 && keys.size() < count);
  ctx.reply.array(2);
  ctx.reply.bulk(fmt::format("{}", cursor));
  ctx.reply.array(keys.size());
  for (const auto& key : keys) ctx.reply.bulk(key);
}

void randomkey_command(CommandContext& ctx) {
  const Entry* entry = keyspace_of(ctx).random_entry();
  if (entry == nullptr) return ctx.reply.null();
  ctx.reply.bulk(entry->key());
}

void dbsize_command(CommandContext& ctx) {
  ctx.reply.integer(static_cast<int64_t>(keyspace_of(ctx).size()));
}

// FLUSHDB/FLUSHALL [ASYNC|SYNC]: both modes free synchronously here.
void flush_command(CommandContext& ctx) {
  const bool mode_ok =
      ctx.argv.size() == 1 ||
      (ctx.argv.size() == 2 && (option_is(ctx.argv[1], "ASYNC") || option_is(ctx.argv[1], "SYNC")));
  if (!mode_ok) return ctx.reply.error(errors::syntax);
  auto& keyspace = keyspace_of(ctx);
  ctx.server.keyspace_flushing(keyspace.size());
  keyspace.clear();
  ctx.reply.ok();
}

// --- OBJECT ----------------------------------------------------------------------------------

// The key OBJECT inspects (argv[2]), without touching it; nil is the reply when it is missing.
Entry* object_entry_or_reply(CommandContext& ctx) {
  Entry* entry = inspect(ctx, ctx.argv[2]);
  if (entry == nullptr) ctx.reply.null();
  return entry;
}

bool lfu_policy(CommandContext& ctx) {
  const auto policy = keyspace_of(ctx).eviction_config().policy;
  return policy == store::MaxmemoryPolicy::allkeys_lfu ||
         policy == store::MaxmemoryPolicy::volatile_lfu;
}

// Redis shares one object for each small integer value unless an LRU/LFU limit needs per-key
// access data; OBJECT REFCOUNT shows the share as INT_MAX.
int64_t refcount(CommandContext& ctx, const Entry& entry) {
  constexpr int64_t shared_integers = 10000;
  constexpr int64_t shared_refcount = std::numeric_limits<int32_t>::max();
  const auto& eviction = keyspace_of(ctx).eviction_config();
  const bool sharing = eviction.maxmemory_bytes == 0 ||
                       eviction.policy == store::MaxmemoryPolicy::noeviction ||
                       eviction.policy == store::MaxmemoryPolicy::allkeys_random ||
                       eviction.policy == store::MaxmemoryPolicy::volatile_random ||
                       eviction.policy == store::MaxmemoryPolicy::volatile_ttl;
  if (entry.type() != store::ValueType::string || std::string_view(entry.encoding()) != "int") {
    return 1;
  }
  const auto value = parse_int64(entry.string_value());
  const bool small = value && *value >= 0 && *value < shared_integers;
  return sharing && small ? shared_refcount : 1;
}

void object_encoding_command(CommandContext& ctx) {
  if (const Entry* entry = object_entry_or_reply(ctx)) ctx.reply.bulk(entry->encoding());
}

void object_refcount_command(CommandContext& ctx) {
  if (const Entry* entry = object_entry_or_reply(ctx)) ctx.reply.integer(refcount(ctx, *entry));
}

constexpr std::string_view policy_switch_note =
    " Please note that when switching between policies at runtime LRU and LFU data will take "
    "some time to adjust.";

void object_freq_command(CommandContext& ctx) {
  Entry* entry = object_entry_or_reply(ctx);
  if (entry == nullptr) return;
  if (!lfu_policy(ctx)) {
    return ctx.reply.error(
        "ERR An LFU maxmemory policy is not selected, access frequency not tracked." +
        std::string(policy_switch_note));
  }
  ctx.reply.integer(keyspace_of(ctx).lfu_frequency(*entry));
}

void object_idletime_command(CommandContext& ctx) {
  const Entry* entry = object_entry_or_reply(ctx);
  if (entry == nullptr) return;
  if (lfu_policy(ctx)) {
    return ctx.reply.error("ERR An LFU maxmemory policy is selected, idle time not tracked." +
                           std::string(policy_switch_note));
  }
  ctx.reply.integer(keyspace_of(ctx).idle_seconds(*entry));
}

void object_help_command(CommandContext& ctx) {
  static constexpr std::string_view lines[] = {
      "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ENCODING <key>",
      "    Return the kind of internal representation used in order to store the value",
      "    associated with a <key>.",
      "FREQ <key>",
      "    Return the access frequency index of the <key>. The returned integer is",
      "    proportional to the logarithm of the recent access frequency of the key.",
      "IDLETIME <key>",
      "    Return the idle time of the <key>, that is the approximated number of",
      "    seconds elapsed since the last access to the key.",
      "REFCOUNT <key>",
      "    Return the number of references of the value associated with the specified",
      "    <key>.",
      "HELP",
      "    Prints this help.",
  };
  ctx.reply.array(std::size(lines));
  for (std::string_view line : lines) ctx.reply.simple(line);
}

// --- registration ----------------------------------------------------------------------------

// Generic-group commands; ACL categories follow Redis: @keyspace, then @read/@write, then speed.
SpecBuilder make_key_family() {
  return SpecBuilder::family("generic", "@keyspace {access} {speed}", one_key);
}

CommandSpec object_spec() {
  const SpecBuilder object = make_key_family().keys({2, 2, 1});
  return container("object", "generic")
      .doc("A container for object introspection commands", "2.2.3")
      .subcommands({
          object.command("object|encoding", 3, object_encoding_command)
              .flags(flag_readonly)
              .doc("Inspect the internal encoding of a Redis object", "2.2.3"),
          object.command("object|freq", 3, object_freq_command)
              .flags(flag_readonly)
              .doc("Get the logarithmic access frequency counter of a Redis object", "4.0.0"),
          object.command("object|idletime", 3, object_idletime_command)
              .flags(flag_readonly)
              .doc("Get the time since a Redis object was last accessed", "2.2.3"),
          object.command("object|refcount", 3, object_refcount_command)
              .flags(flag_readonly)
              .doc("Get the number of references to the value of the key", "2.2.3"),
          // OBJECT HELP is neither a read nor a write.
          object.command("object|help", 2, object_help_command)
              .flags(flag_loading | flag_stale)
              .keys(no_keys)
              .acl("@keyspace {speed}")
              .doc("Show helpful text about the different subcommands", "6.2.0"),
      });
}

}  // namespace

void register_key_commands(CommandTable& table) {
  const SpecBuilder key_family = make_key_family();
  const CommandSpec specs[] = {
      key_family.command("del", -2, del_command)
          .flags(flag_write)
          .keys(all_keys)
          .doc("Delete a key", "1.0.0"),
      key_family.command("unlink", -2, del_command)
          .flags(write_fast)
          .keys(all_keys)
          .doc("Delete a key asynchronously in another thread. Otherwise it is just as DEL, but "
               "non blocking.",
               "4.0.0"),
      key_family.command("exists", -2, exists_command)
          .flags(read_fast)
          .keys(all_keys)
          .doc("Determine if a key exists", "1.0.0"),
      key_family.command("touch", -2, touch_command)
          .flags(read_fast)
          .keys(all_keys)
          .doc("Alters the last access time of a key(s). Returns the number of existing keys "
               "specified.",
               "3.2.1"),
      key_family.command("type", 2, type_command)
          .flags(read_fast)
          .doc("Determine the type stored at key", "1.0.0"),
      key_family.command("expire", -3, expire_command)
          .flags(write_fast)
          .doc("Set a key's time to live in seconds", "1.0.0"),
      key_family.command("pexpire", -3, pexpire_command)
          .flags(write_fast)
          .doc("Set a key's time to live in milliseconds", "2.6.0"),
      key_family.command("expireat", -3, expireat_command)
          .flags(write_fast)
          .doc("Set the expiration for a key as a UNIX timestamp", "1.2.0"),
      key_family.command("pexpireat", -3, pexpireat_command)
          .flags(write_fast)
          .doc("Set the expiration for a key as a UNIX timestamp specified in milliseconds",
               "2.6.0"),
      key_family.command("expiretime", 2, expiretime_command)
          .flags(read_fast)
          .doc("Get the expiration Unix timestamp for a key", "7.0.0"),
      key_family.command("pexpiretime", 2, pexpiretime_command)
          .flags(read_fast)
          .doc("Get the expiration Unix timestamp for a key in milliseconds", "7.0.0"),
      key_family.command("ttl", 2, ttl_command)
          .flags(read_fast)
          .doc("Get the time to live for a key in seconds", "1.0.0"),
      key_family.command("pttl", 2, pttl_command)
          .flags(read_fast)
          .doc("Get the time to live for a key in milliseconds", "2.6.0"),
      key_family.command("persist", 2, persist_command)
          .flags(write_fast)
          .doc("Remove the expiration from a key", "2.2.0"),
      key_family.command("rename", 3, rename_command)
          .flags(flag_write)
          .keys(two_keys)
          .doc("Rename a key", "1.0.0"),
      key_family.command("renamenx", 3, renamenx_command)
          .flags(write_fast)
          .keys(two_keys)
          .doc("Rename a key, only if the new key does not exist", "1.0.0"),
      key_family.command("keys", 2, keys_command)
          .flags(flag_readonly)
          .keys(no_keys)
          .acl("@keyspace {access} {speed} @dangerous")
          .doc("Find all keys matching the given pattern", "1.0.0"),
      key_family.command("scan", -2, scan_command)
          .flags(flag_readonly)
          .keys(no_keys)
          .doc("Incrementally iterate the keys space", "2.8.0"),
      key_family.command("randomkey", 1, randomkey_command)
          .flags(flag_readonly)
          .keys(no_keys)
          .doc("Return a random key from the keyspace", "1.0.0"),
      key_family.command("dbsize", 1, dbsize_command)
          .flags(read_fast)
          .keys(no_keys)
          .group("server")
          .doc("Return the number of keys in the selected database", "1.0.0"),
      key_family.command("flushdb", -1, flush_command)
          .flags(flag_write)
          .keys(no_keys)
          .acl("@keyspace {access} {speed} @dangerous")
          .group("server")
          .doc("Remove all keys from the current database", "1.0.0"),
      key_family.command("flushall", -1, flush_command)
          .flags(flag_write)
          .keys(no_keys)
          .acl("@keyspace {access} {speed} @dangerous")
          .group("server")
          .doc("Remove all keys from all databases", "1.0.0"),
  };
  for (const auto& spec : specs) table.add(spec);
  table.add(object_spec());
  register_sort_commands(table);
  register_copy_command(table);
  register_dump_restore_commands(table);
}

}  // namespace ringcache::commands
