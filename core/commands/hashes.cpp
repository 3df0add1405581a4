// The hash family: fields and values under one key. Replies, errors, keyspace events and
// propagation are Redis 7.0's (t_hash.c), checked against redis-server by
// tests/process/test_differential.py (difflib_family_hashes.py).

#include <cmath>
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
#include "core/server/pubsub/keyspace_events.h"
#include "core/server/server.h"
#include "core/store/hash_value.h"
#include "core/store/keyspace.h"

namespace ringcache::commands {
namespace {

using store::Entry;
using store::HashValue;
using Item = HashValue::Item;

HashValue& hash_of(Entry* entry) { return *static_cast<HashValue*>(entry->collection()); }

// The hash at argv[1] for reading: nullptr when absent, nullopt after replying WRONGTYPE.
std::optional<const HashValue*> read_hash(CommandContext& ctx) {
  Entry* entry = ctx.server.keyspace().find_read(ctx.argv[1]);
  if (reject_wrong_type(ctx, entry, store::ValueType::hash)) return std::nullopt;
  return entry == nullptr ? nullptr : &hash_of(entry);
}

// The hash at argv[1] for writing, created empty when absent (hand it to finish_write, which
// removes it again if it stays empty); nullptr after replying WRONGTYPE.
Entry* write_hash(CommandContext& ctx) {
  auto& keyspace = ctx.server.keyspace();
  Entry* entry = keyspace.find_write(ctx.argv[1]);
  if (reject_wrong_type(ctx, entry, store::ValueType::hash)) return nullptr;
  if (entry == nullptr) entry = keyspace.add_collection(ctx.argv[1], std::make_unique<HashValue>());
  return entry;
}

// Accounts a write to the hash at argv[1]; when `changed`, signals it under `event` (and "del"
// when the hash became empty and went away).
void finish_write(CommandContext& ctx, Entry* entry, bool changed, std::string_view event) {
  const std::string_view key = ctx.argv[1];
  const bool removed = ctx.server.keyspace().collection_written(entry);
  if (!changed) return;
  ctx.server.key_modified(key);
  ctx.server.notify_keyspace_event(server::event_hash, event, key);
  if (removed) ctx.server.notify_keyspace_event(server::event_generic, "del", key);
}

bool set_field(CommandContext& ctx, Entry* entry, std::string_view field, std::string_view value) {
  return hash_of(entry).set(field, value, ctx.server.config().encoding, ctx.server.runtime().rng());
}

// --- writes ------------------------------------------------------------------------------------

// HSET answers how many fields it added, HMSET OK.
void hset_generic(CommandContext& ctx, bool reply_added, std::string_view command) {
  if (ctx.argv.size() % 2 == 1) return ctx.reply.error(errors::wrong_arguments(command));
  Entry* entry = write_hash(ctx);
  if (entry == nullptr) return;
  int64_t added = 0;
  for (size_t i = 2; i + 1 < ctx.argv.size(); i += 2) {
    if (set_field(ctx, entry, ctx.argv[i], ctx.argv[i + 1])) ++added;
  }
  hash_of(entry).shrink_to_fit();
  finish_write(ctx, entry, true, "hset");
  if (reply_added) return ctx.reply.integer(added);
  ctx.reply.ok();
}

void hset_command(CommandContext& ctx) { hset_generic(ctx, true, "hset"); }
void hmset_command(CommandContext& ctx) { hset_generic(ctx, false, "hmset"); }

void hsetnx_command(CommandContext& ctx) {
  Entry* entry = write_hash(ctx);
  if (entry == nullptr) return;
  const bool added = !hash_of(entry).contains(ctx.argv[2]) &&
                     set_field(ctx, entry, ctx.argv[2], ctx.argv[3]);
  finish_write(ctx, entry, added, "hset");
  ctx.reply.integer(added ? 1 : 0);
}

void hdel_command(CommandContext& ctx) {
  Entry* entry = ctx.server.keyspace().find_write(ctx.argv[1]);
  if (reject_wrong_type(ctx, entry, store::ValueType::hash)) return;
  if (entry == nullptr) return ctx.reply.integer(0);
  int64_t deleted = 0;
  for (size_t i = 2; i < ctx.argv.size() && hash_of(entry).size() > 0; ++i) {
    if (hash_of(entry).erase(ctx.argv[i])) ++deleted;
  }
  finish_write(ctx, entry, deleted > 0, "hdel");
  ctx.reply.integer(deleted);
}

// The shared body of HINCRBY and HINCRBYFLOAT: the field's number (absent: 0) as `parse` reads
// it, changed by `add` (which returns an error, or "" when the result is good), then stored as
// `format` writes it. Returns the stored text, or nullopt after replying an error (the hash is
// left as it was).
template <typename Number, typename Parse, typename Add, typename Format>
std::optional<std::string> increment_field(CommandContext& ctx, Parse&& parse,
                                           std::string_view not_a_number, Add&& add,
                                           Format&& format, std::string_view event) {
  Entry* entry = write_hash(ctx);
  if (entry == nullptr) return std::nullopt;
  Number value = 0;
  std::string_view error;
  if (const auto current = hash_of(entry).get(ctx.argv[2])) {
    const auto parsed = parse(*current);
    if (parsed) {
      value = *parsed;
    } else {
      error = not_a_number;
    }
  }
  if (error.empty()) error = add(value);
  if (!error.empty()) {
    finish_write(ctx, entry, false, "");
    ctx.reply.error(error);
    return std::nullopt;
  }
  std::string text = format(value);
  set_field(ctx, entry, ctx.argv[2], text);
  finish_write(ctx, entry, true, event);
  return text;
}

void hincrby_command(CommandContext& ctx) {
  const auto increment = int64_or_reply(ctx, ctx.argv[3]);
  if (!increment) return;
  const auto add = [&](int64_t& value) {
    return __builtin_add_overflow(value, *increment, &value) ? errors::overflow
                                                              : std::string_view();
  };
  const auto text = increment_field<int64_t>(ctx, parse_int64, "ERR hash value is not an integer",
                                             add, format_int64, "hincrby");
  if (text) ctx.reply.integer(parse_int64(*text).value());
}

// Propagated as HSET of the result, as Redis 7.0 does: replaying the float addition elsewhere
// could round differently.
void hincrbyfloat_command(CommandContext& ctx) {
  const auto increment = long_double_or_reply(ctx, ctx.argv[3]);
  if (!increment) return;
  if (std::isnan(*increment) || std::isinf(*increment)) {
    return ctx.reply.error("ERR value is NaN or Infinity");
  }
  const auto add = [&](long double& value) {
    value += *increment;
    return std::isnan(value) || std::isinf(value)
               ? std::string_view("ERR increment would produce NaN or Infinity")
               : std::string_view();
  };
  const auto text =
      increment_field<long double>(ctx, parse_long_double, "ERR hash value is not a float", add,
                                   format_long_double_human, "hincrbyfloat");
  if (!text) return;
  ctx.server.propagation().replace_with({"HSET", ctx.argv[1], ctx.argv[2], *text});
  ctx.reply.bulk(*text);
}

// --- reads -------------------------------------------------------------------------------------

void hget_command(CommandContext& ctx) {
  const auto hash = read_hash(ctx);
  if (!hash) return;
  const auto value = *hash == nullptr ? std::nullopt : (*hash)->get(ctx.argv[2]);
  if (!value) return ctx.reply.null();
  ctx.reply.bulk(*value);
}

void hmget_command(CommandContext& ctx) {
  const auto hash = read_hash(ctx);
  if (!hash) return;
  ctx.reply.array(ctx.argv.size() - 2);
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    const auto value = *hash == nullptr ? std::nullopt : (*hash)->get(ctx.argv[i]);
    if (value) {
      ctx.reply.bulk(*value);
    } else {
      ctx.reply.null();
    }
  }
}

// HLEN, HSTRLEN, HEXISTS: a number about the hash (0 when absent).
template <typename Measure>
void reply_measure(CommandContext& ctx, Measure&& measure) {
  const auto hash = read_hash(ctx);
  if (!hash) return;
  ctx.reply.integer(*hash == nullptr ? 0 : static_cast<int64_t>(measure(**hash)));
}

void hlen_command(CommandContext& ctx) {
  reply_measure(ctx, [](const HashValue& hash) { return hash.size(); });
}

void hstrlen_command(CommandContext& ctx) {
  reply_measure(ctx, [&](const HashValue& hash) {
    const auto value = hash.get(ctx.argv[2]);
    return value ? value->size() : 0;
  });
}

void hexists_command(CommandContext& ctx) {
  reply_measure(ctx, [&](const HashValue& hash) { return hash.contains(ctx.argv[2]) ? 1 : 0; });
}

enum class Parts { fields, values, both };

// HKEYS, HVALS, HGETALL (a map in RESP3).
void reply_all(CommandContext& ctx, Parts parts) {
  const auto hash = read_hash(ctx);
  if (!hash) return;
  const size_t size = *hash == nullptr ? 0 : (*hash)->size();
  if (parts == Parts::both) {
    ctx.reply.map(size);
  } else {
    ctx.reply.array(size);
  }
  if (*hash == nullptr) return;
  (*hash)->for_each([&](const Item& item) {
    if (parts != Parts::values) ctx.reply.bulk(item.field);
    if (parts != Parts::fields) ctx.reply.bulk(item.value);
  });
}

void hkeys_command(CommandContext& ctx) { reply_all(ctx, Parts::fields); }
void hvals_command(CommandContext& ctx) { reply_all(ctx, Parts::values); }
void hgetall_command(CommandContext& ctx) { reply_all(ctx, Parts::both); }

// HRANDFIELD key count [WITHVALUES]. RESP3 gives each field and value as a pair.
void hrandfield_with_count(CommandContext& ctx, int64_t count, bool with_values) {
  const auto hash = read_hash(ctx);
  if (!hash) return;
  if (*hash == nullptr || count == 0) return ctx.reply.array(0);
  const HashValue& value = **hash;
  Rng& rng = ctx.server.runtime().rng();
  const auto picked = pick_random_elements(
      rng, count, value.size(),
      [&] {
        std::vector<Item> all;
        all.reserve(value.size());
        value.for_each([&](const Item& item) { all.push_back(item); });
        return all;
      },
      [&] { return value.random(rng); }, [](const Item& item) { return item.field; });
  const bool pairs = with_values && ctx.reply.resp_version() >= 3;
  ctx.reply.array(with_values && !pairs ? picked.size() * 2 : picked.size());
  for (const Item& item : picked) {
    if (pairs) ctx.reply.array(2);
    ctx.reply.bulk(item.field);
    if (with_values) ctx.reply.bulk(item.value);
  }
}

void hrandfield_command(CommandContext& ctx) {
  if (ctx.argv.size() >= 3) {
    const auto count = int64_or_reply(ctx, ctx.argv[2]);
    if (!count) return;
    if (*count == INT64_MIN) return ctx.reply.error(errors::count_out_of_range);
    const bool with_values = ctx.argv.size() == 4;
    if (ctx.argv.size() > 4 || (with_values && !option_is(ctx.argv[3], "WITHVALUES"))) {
      return ctx.reply.error(errors::syntax);
    }
    // Twice the count must still fit (a field and a value per pick).
    if (with_values && (*count < -INT64_MAX / 2 || *count > INT64_MAX / 2)) {
      return ctx.reply.error("ERR value is out of range");
    }
    return hrandfield_with_count(ctx, *count, with_values);
  }
  const auto hash = read_hash(ctx);
  if (!hash) return;
  if (*hash == nullptr) return ctx.reply.null();
  ctx.reply.bulk((*hash)->random(ctx.server.runtime().rng()).field);
}

void hscan_command(CommandContext& ctx) {
  const auto scan = begin_collection_scan(ctx, store::ValueType::hash);
  if (!scan) return;
  const HashValue& hash = hash_of(scan->entry);
  reply_collection_scan(ctx, *scan, 2, [&](uint64_t cursor, std::vector<std::string>& out) {
    return hash.scan(cursor, [&](const Item& item) {
      out.emplace_back(item.field);
      out.emplace_back(item.value);
    });
  });
}

// --- registration ------------------------------------------------------------------------------

}  // namespace

void register_hash_commands(CommandTable& table) {
  const SpecBuilder hash_family = SpecBuilder::family("hash", data_acl("@hash"), one_key);
  const CommandSpec specs[] = {
      hash_family.command("hset", -4, hset_command)
          .flags(write_oom_fast)
          .doc("Set the string value of a hash field", "2.0.0"),
      hash_family.command("hsetnx", 4, hsetnx_command)
          .flags(write_oom_fast)
          .doc("Set the value of a hash field, only if the field does not exist", "2.0.0"),
      hash_family.command("hmset", -4, hmset_command)
          .flags(write_oom_fast)
          .doc("Set multiple hash fields to multiple values", "2.0.0"),
      hash_family.command("hget", 3, hget_command)
          .flags(read_fast)
          .doc("Get the value of a hash field", "2.0.0"),
      hash_family.command("hmget", -3, hmget_command)
          .flags(read_fast)
          .doc("Get the values of all the given hash fields", "2.0.0"),
      hash_family.command("hdel", -3, hdel_command)
          .flags(flag_write | flag_fast)
          .doc("Delete one or more hash fields", "2.0.0"),
      hash_family.command("hlen", 2, hlen_command)
          .flags(read_fast)
          .doc("Get the number of fields in a hash", "2.0.0"),
      hash_family.command("hstrlen", 3, hstrlen_command)
          .flags(read_fast)
          .doc("Get the length of the value of a hash field", "3.2.0"),
      hash_family.command("hexists", 3, hexists_command)
          .flags(read_fast)
          .doc("Determine if a hash field exists", "2.0.0"),
      hash_family.command("hkeys", 2, hkeys_command)
          .flags(flag_readonly)
          .doc("Get all the fields in a hash", "2.0.0"),
      hash_family.command("hvals", 2, hvals_command)
          .flags(flag_readonly)
          .doc("Get all the values in a hash", "2.0.0"),
      hash_family.command("hgetall", 2, hgetall_command)
          .flags(flag_readonly)
          .doc("Get all the fields and values in a hash", "2.0.0"),
      hash_family.command("hincrby", 4, hincrby_command)
          .flags(write_oom_fast)
          .doc("Increment the integer value of a hash field by the given number", "2.0.0"),
      hash_family.command("hincrbyfloat", 4, hincrbyfloat_command)
          .flags(write_oom_fast)
          .doc("Increment the float value of a hash field by the given amount", "2.6.0"),
      hash_family.command("hrandfield", -2, hrandfield_command)
          .flags(flag_readonly)
          .doc("Get one or multiple random fields from a hash", "6.2.0"),
      hash_family.command("hscan", -3, hscan_command)
          .flags(flag_readonly)
          .doc("Incrementally iterate hash fields and associated values", "2.8.0"),
  };
  for (const auto& spec : specs) table.add(spec);
}

}  // namespace ringcache::commands
