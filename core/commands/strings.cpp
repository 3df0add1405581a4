// The string family: GET/SET and their variants, ranges, counters. Replies and error words are
// Redis 7.0's (t_string.c), checked against redis-server by tests/process/test_differential.py.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "core/commands/arguments.h"
#include "core/commands/command.h"
#include "core/commands/propagate_as.h"
#include "core/commands/spec_builder.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"

namespace ringcache::commands {
namespace {

using store::Entry;
using store::no_expiry;
using store::StringForm;

// --- SET / GETEX options ---------------------------------------------------------------------

enum class ExpireKind { none, ex, px, exat, pxat };

struct SetOptions {
  bool nx = false;
  bool xx = false;
  bool get = false;
  bool keepttl = false;
  bool persist = false;
  ExpireKind expire = ExpireKind::none;
  std::string_view expire_arg;
};

std::optional<ExpireKind> expire_kind(std::string_view arg) {
  if (option_is(arg, "EX")) return ExpireKind::ex;
  if (option_is(arg, "PX")) return ExpireKind::px;
  if (option_is(arg, "EXAT")) return ExpireKind::exat;
  if (option_is(arg, "PXAT")) return ExpireKind::pxat;
  return std::nullopt;
}

// Applies one option word (and, for the expiry options, takes the word after it). Redis refuses
// a combination the moment the second of a conflicting pair appears; the same expiry option
// twice is allowed and the last one wins.
bool apply_set_option(std::span<const std::string_view> argv, size_t& i, bool for_set,
                      SetOptions& out) {
  const std::string_view arg = argv[i];
  const bool no_expire = out.expire == ExpireKind::none;
  if (for_set && option_is(arg, "NX") && !out.xx) return out.nx = true;
  if (for_set && option_is(arg, "XX") && !out.nx) return out.xx = true;
  if (for_set && option_is(arg, "GET")) return out.get = true;
  if (for_set && option_is(arg, "KEEPTTL") && no_expire) return out.keepttl = true;
  if (!for_set && option_is(arg, "PERSIST") && no_expire) return out.persist = true;
  const auto kind = expire_kind(arg);
  if (!kind || out.keepttl || out.persist || i + 1 >= argv.size()) return false;
  if (!no_expire && out.expire != *kind) return false;
  out.expire = *kind;
  out.expire_arg = argv[++i];
  return true;
}

// Parses the options of SET (for_set) or GETEX from argv[first] on; replies the syntax error.
std::optional<SetOptions> parse_set_options(CommandContext& ctx, size_t first, bool for_set) {
  SetOptions options;
  for (size_t i = first; i < ctx.argv.size(); ++i) {
    if (!apply_set_option(ctx.argv, i, for_set, options)) {
      ctx.reply.error(errors::syntax);
      return std::nullopt;
    }
  }
  return options;
}

// The absolute expiry (Unix ms) an EX/PX/EXAT/PXAT argument asks for, or nullopt after replying
// "invalid expire time" (zero, negative, or out of range once converted) or a parse error.
std::optional<int64_t> expire_at_or_reply(CommandContext& ctx, ExpireKind kind,
                                          std::string_view arg, std::string_view command) {
  const auto value = int64_or_reply(ctx, arg);
  if (!value) return std::nullopt;
  const bool seconds = kind == ExpireKind::ex || kind == ExpireKind::exat;
  const bool relative = kind == ExpireKind::ex || kind == ExpireKind::px;
  std::optional<int64_t> at_ms;
  if (*value > 0 && (!seconds || *value <= std::numeric_limits<int64_t>::max() / 1000)) {
    const int64_t ms = seconds ? *value * 1000 : *value;
    at_ms = relative ? checked_add(ms, ctx.server.keyspace().now_ms()) : ms;
  }
  if (!at_ms) ctx.reply.error(errors::invalid_expire_time(command));
  return at_ms;
}

// --- SET and friends -------------------------------------------------------------------------

void reply_value(CommandContext& ctx, const Entry* entry) {
  if (entry == nullptr) {
    ctx.reply.null();
  } else {
    ctx.reply.bulk(entry->string_value());
  }
}

// GET's lookup and reply, shared by GET, GETSET, GETDEL and SET ... GET. Returns false after a
// WRONGTYPE error.
bool reply_get(CommandContext& ctx, std::string_view key) {
  const Entry* entry = ctx.server.keyspace().find_read(key);
  if (reject_wrong_type(ctx, entry)) return false;
  reply_value(ctx, entry);
  return true;
}

// A string write's keyspace notification ("set", "append", "incrby", ...).
void notify_string(CommandContext& ctx, std::string_view event, std::string_view key) {
  ctx.server.notify_keyspace_event(server::event_string, event, key);
}

// SET and the commands that set with a TTL report "set" then "expire", as Redis.
void notify_set(CommandContext& ctx, std::string_view key, int64_t expire_at_ms) {
  notify_string(ctx, "set", key);
  if (expire_at_ms != no_expiry) {
    ctx.server.notify_keyspace_event(server::event_generic, "expire", key);
  }
}

void store_string(CommandContext& ctx, std::string_view key, std::string_view value,
                  std::string_view event = "set") {
  ctx.server.keyspace().set_string(key, value, no_expiry);
  ctx.server.key_modified(key);
  notify_string(ctx, event, key);
}

// SET's core after parsing: SET, SETNX, SETEX and PSETEX all end here, as in Redis.
// SETNX answers 1/0 where SET answers OK/nil (reply_int).
void set_generic(CommandContext& ctx, const SetOptions& options, int64_t expire_at_ms,
                 bool reply_int) {
  const std::string_view key = ctx.argv[1];
  if (options.get && !reply_get(ctx, key)) return;
  auto& keyspace = ctx.server.keyspace();
  Entry* existing = keyspace.find_write(key);
  const bool found = existing != nullptr;
  if ((options.nx && found) || (options.xx && !found)) {
    if (options.get) return;
    if (reply_int) {
      ctx.reply.integer(0);
    } else {
      ctx.reply.null();
    }
    return;
  }
  // The lookup above stands for set_string's own: nothing changed the keyspace since.
  keyspace.set_string_found(existing, key, ctx.argv[2], expire_at_ms, options.keepttl);
  ctx.server.key_modified(key);
  // Any expiry but PXAT replays as PXAT: a relative one must not restart at replay time.
  if (expire_at_ms != no_expiry && options.expire != ExpireKind::pxat) {
    propagate_as_set_pxat(ctx, key, ctx.argv[2], expire_at_ms);
  }
  notify_set(ctx, key, expire_at_ms);
  if (options.get) return;
  if (reply_int) {
    ctx.reply.integer(1);
  } else {
    ctx.reply.ok();
  }
}

void set_command(CommandContext& ctx) {
  const auto options = parse_set_options(ctx, 3, true);
  if (!options) return;
  int64_t expire_at_ms = no_expiry;
  if (options->expire != ExpireKind::none) {
    const auto at = expire_at_or_reply(ctx, options->expire, options->expire_arg, "set");
    if (!at) return;
    expire_at_ms = *at;
  }
  set_generic(ctx, *options, expire_at_ms, false);
}

void setnx_command(CommandContext& ctx) {
  SetOptions options;
  options.nx = true;
  set_generic(ctx, options, no_expiry, true);
}

// SETEX key seconds value / PSETEX key ms value: the value is argv[3].
void setex_generic(CommandContext& ctx, ExpireKind kind, std::string_view command) {
  const auto at = expire_at_or_reply(ctx, kind, ctx.argv[2], command);
  if (!at) return;
  ctx.server.keyspace().set_string(ctx.argv[1], ctx.argv[3], *at);
  ctx.server.key_modified(ctx.argv[1]);
  propagate_as_set_pxat(ctx, ctx.argv[1], ctx.argv[3], *at);
  notify_set(ctx, ctx.argv[1], *at);
  ctx.reply.ok();
}

void setex_command(CommandContext& ctx) { setex_generic(ctx, ExpireKind::ex, "setex"); }
void psetex_command(CommandContext& ctx) { setex_generic(ctx, ExpireKind::px, "psetex"); }

void get_command(CommandContext& ctx) { reply_get(ctx, ctx.argv[1]); }

void getset_command(CommandContext& ctx) {
  if (!reply_get(ctx, ctx.argv[1])) return;
  store_string(ctx, ctx.argv[1], ctx.argv[2]);
  propagate_as_set(ctx, ctx.argv[1], ctx.argv[2]);
}

void getdel_command(CommandContext& ctx) {
  auto& keyspace = ctx.server.keyspace();
  const Entry* entry = keyspace.find_read(ctx.argv[1]);
  if (reject_wrong_type(ctx, entry)) return;
  reply_value(ctx, entry);
  if (entry != nullptr && keyspace.erase(ctx.argv[1])) {
    ctx.server.key_modified(ctx.argv[1]);
    propagate_as_del(ctx, ctx.argv[1]);
    ctx.server.notify_keyspace_event(server::event_generic, "del", ctx.argv[1]);
  }
}

// Applies GETEX's expiry change to a key whose value was already replied.
void getex_apply(CommandContext& ctx, Entry* entry, const SetOptions& options, int64_t at_ms) {
  auto& keyspace = ctx.server.keyspace();
  const std::string_view key = ctx.argv[1];
  const bool absolute = options.expire == ExpireKind::exat || options.expire == ExpireKind::pxat;
  std::string_view event;
  if (absolute && past_expiry_deletes(ctx, at_ms)) {
    keyspace.erase(key);
    event = "del";
    propagate_as_del(ctx, key);
  } else if (options.expire != ExpireKind::none) {
    keyspace.set_expire(entry, at_ms);
    event = "expire";
    propagate_as_pexpireat(ctx, key, at_ms);
  } else if (options.persist && entry->has_expiry()) {
    keyspace.set_expire(entry, no_expiry);
    event = "persist";
    ctx.server.propagation().replace_with({"PERSIST", key});
  } else {
    return;
  }
  ctx.server.key_modified(key);
  ctx.server.notify_keyspace_event(server::event_generic, event, key);
}

void getex_command(CommandContext& ctx) {
  const auto options = parse_set_options(ctx, 2, false);
  if (!options) return;
  Entry* entry = ctx.server.keyspace().find_read(ctx.argv[1]);
  if (entry == nullptr) return ctx.reply.null();
  if (reject_wrong_type(ctx, entry)) return;
  int64_t at_ms = no_expiry;
  if (options->expire != ExpireKind::none) {
    // Redis checks the time only once it knows the key exists.
    const auto at = expire_at_or_reply(ctx, options->expire, options->expire_arg, "getex");
    if (!at) return;
    at_ms = *at;
  }
  ctx.reply.bulk(entry->string_value());
  getex_apply(ctx, entry, *options, at_ms);
}

// --- multiple keys ---------------------------------------------------------------------------

void mget_command(CommandContext& ctx) {
  auto& keyspace = ctx.server.keyspace();
  ctx.reply.array(ctx.argv.size() - 1);
  for (size_t i = 1; i < ctx.argv.size(); ++i) {
    const Entry* entry = keyspace.find_read(ctx.argv[i]);
    // MGET answers nil for a key of another type rather than failing.
    const bool is_string = entry != nullptr && entry->type() == store::ValueType::string;
    reply_value(ctx, is_string ? entry : nullptr);
  }
}

// MSET/MSETNX take key-value pairs: an unpaired key is an arity error, in the arity's words.
bool pairs_or_reply(CommandContext& ctx, std::string_view command) {
  if (ctx.argv.size() % 2 == 1) return true;
  ctx.reply.error(errors::wrong_arguments(command));
  return false;
}

void set_pairs(CommandContext& ctx) {
  for (size_t i = 1; i + 1 < ctx.argv.size(); i += 2) {
    store_string(ctx, ctx.argv[i], ctx.argv[i + 1]);
  }
}

void mset_command(CommandContext& ctx) {
  if (!pairs_or_reply(ctx, "mset")) return;
  set_pairs(ctx);
  ctx.reply.ok();
}

void msetnx_command(CommandContext& ctx) {
  if (!pairs_or_reply(ctx, "msetnx")) return;
  for (size_t i = 1; i < ctx.argv.size(); i += 2) {
    if (ctx.server.keyspace().find_write(ctx.argv[i]) != nullptr) return ctx.reply.integer(0);
  }
  set_pairs(ctx);
  ctx.reply.integer(1);
}

// --- lengths and ranges ----------------------------------------------------------------------

void strlen_command(CommandContext& ctx) {
  const Entry* entry = ctx.server.keyspace().find_read(ctx.argv[1]);
  if (reject_wrong_type(ctx, entry)) return;
  ctx.reply.integer(entry == nullptr ? 0 : static_cast<int64_t>(entry->string_value().size()));
}

// Redis' checkStringLength: the limit is the configured proto-max-bulk-len.
bool length_ok_or_reply(CommandContext& ctx, int64_t offset, size_t added) {
  const int64_t limit = ctx.server.config().proto_max_bulk_len;
  if (offset <= limit && static_cast<int64_t>(added) <= limit - offset) return true;
  ctx.reply.error(errors::string_too_long);
  return false;
}

void append_command(CommandContext& ctx) {
  auto& keyspace = ctx.server.keyspace();
  const std::string_view key = ctx.argv[1];
  const std::string_view tail = ctx.argv[2];
  Entry* entry = keyspace.find_write(key);
  if (reject_wrong_type(ctx, entry)) return;
  if (entry == nullptr) {
    store_string(ctx, key, tail, "append");
    return ctx.reply.integer(static_cast<int64_t>(tail.size()));
  }
  const std::string_view head = entry->string_value();
  if (!length_ok_or_reply(ctx, static_cast<int64_t>(head.size()), tail.size())) return;
  std::string joined;
  joined.reserve(head.size() + tail.size());
  joined.append(head).append(tail);
  keyspace.update_string(entry, joined, StringForm::raw);
  ctx.server.key_modified(key);
  notify_string(ctx, "append", key);
  ctx.reply.integer(static_cast<int64_t>(joined.size()));
}

// The part of `value` GETRANGE returns for start..end (inclusive, negative from the end).
std::string_view substring(std::string_view value, int64_t start, int64_t end) {
  const auto size = static_cast<int64_t>(value.size());
  if (start < 0 && end < 0 && start > end) return {};
  if (start < 0) start = std::max<int64_t>(size + start, 0);
  if (end < 0) end = std::max<int64_t>(size + end, 0);
  end = std::min(end, size - 1);
  if (start > end || size == 0) return {};
  return value.substr(static_cast<size_t>(start), static_cast<size_t>(end - start + 1));
}

void getrange_command(CommandContext& ctx) {
  const auto start = int64_or_reply(ctx, ctx.argv[2]);
  if (!start) return;
  const auto end = int64_or_reply(ctx, ctx.argv[3]);
  if (!end) return;
  const Entry* entry = ctx.server.keyspace().find_read(ctx.argv[1]);
  if (reject_wrong_type(ctx, entry)) return;
  const std::string_view value = entry == nullptr ? std::string_view() : entry->string_value();
  ctx.reply.bulk(substring(value, *start, *end));
}

// Writes `patch` at `offset` into `value`, zero-padding a gap.
std::string overwrite(std::string_view value, size_t offset, std::string_view patch) {
  std::string out(value);
  if (out.size() < offset + patch.size()) out.resize(offset + patch.size(), '\0');
  out.replace(offset, patch.size(), patch);
  return out;
}

void setrange_command(CommandContext& ctx) {
  auto& keyspace = ctx.server.keyspace();
  const std::string_view key = ctx.argv[1];
  const std::string_view patch = ctx.argv[3];
  const auto offset = int64_or_reply(ctx, ctx.argv[2]);
  if (!offset) return;
  if (*offset < 0) return ctx.reply.error("ERR offset is out of range");
  Entry* entry = keyspace.find_write(key);
  if (reject_wrong_type(ctx, entry)) return;
  const std::string_view old = entry == nullptr ? std::string_view() : entry->string_value();
  // Writing nothing changes nothing, and creates no key.
  if (patch.empty()) return ctx.reply.integer(static_cast<int64_t>(old.size()));
  if (!length_ok_or_reply(ctx, *offset, patch.size())) return;
  const std::string value = overwrite(old, static_cast<size_t>(*offset), patch);
  if (entry == nullptr) entry = keyspace.set_string(key, "", no_expiry);
  keyspace.update_string(entry, value, StringForm::raw);
  ctx.server.key_modified(key);
  notify_string(ctx, "setrange", key);
  ctx.reply.integer(static_cast<int64_t>(value.size()));
}

// --- counters --------------------------------------------------------------------------------

// Stores `text` as the key's new value, keeping its expiry (as Redis' dbOverwrite does).
void store_counter(CommandContext& ctx, Entry* entry, std::string_view text,
                   std::string_view event, StringForm form = StringForm::parsed) {
  auto& keyspace = ctx.server.keyspace();
  if (entry == nullptr) {
    keyspace.set_string_form(keyspace.set_string(ctx.argv[1], text, no_expiry), form);
  } else {
    keyspace.update_string(entry, text, form);
  }
  ctx.server.key_modified(ctx.argv[1]);
  notify_string(ctx, event, ctx.argv[1]);
}

void incr_by(CommandContext& ctx, int64_t increment) {
  Entry* entry = ctx.server.keyspace().find_write(ctx.argv[1]);
  if (reject_wrong_type(ctx, entry)) return;
  int64_t value = 0;
  if (entry != nullptr) {
    const auto current = parse_int64(entry->string_value());
    if (!current) return ctx.reply.error(errors::not_integer);
    value = *current;
  }
  const auto result = checked_add(value, increment);
  if (!result) return ctx.reply.error(errors::overflow);
  store_counter(ctx, entry, format_int64(*result), "incrby");
  ctx.reply.integer(*result);
}

void incr_command(CommandContext& ctx) { incr_by(ctx, 1); }
void decr_command(CommandContext& ctx) { incr_by(ctx, -1); }

void incrby_command(CommandContext& ctx) {
  if (const auto increment = int64_or_reply(ctx, ctx.argv[2])) incr_by(ctx, *increment);
}

void decrby_command(CommandContext& ctx) {
  const auto decrement = int64_or_reply(ctx, ctx.argv[2]);
  if (!decrement) return;
  // INT64_MIN has no negation.
  if (*decrement == std::numeric_limits<int64_t>::min()) {
    return ctx.reply.error("ERR decrement would overflow");
  }
  incr_by(ctx, -*decrement);
}

void incrbyfloat_command(CommandContext& ctx) {
  Entry* entry = ctx.server.keyspace().find_write(ctx.argv[1]);
  if (reject_wrong_type(ctx, entry)) return;
  long double value = 0;
  if (entry != nullptr) {
    const auto current = long_double_or_reply(ctx, entry->string_value());
    if (!current) return;
    value = *current;
  }
  const auto increment = long_double_or_reply(ctx, ctx.argv[2]);
  if (!increment) return;
  value += *increment;
  if (std::isnan(value) || std::isinf(value)) {
    return ctx.reply.error("ERR increment would produce NaN or Infinity");
  }
  const std::string text = format_long_double_human(value);
  // Redis stores the result as a string object, never as an integer, whatever its digits.
  store_counter(ctx, entry, text, "incrbyfloat", StringForm::plain);
  propagate_as_set_keepttl(ctx, ctx.argv[1], text);
  ctx.reply.bulk(text);
}

// --- registration ----------------------------------------------------------------------------


}  // namespace

void register_string_commands(CommandTable& table) {
  const SpecBuilder string_family = SpecBuilder::family("string", data_acl("@string"), one_key);
  constexpr KeyRange pairs{1, -1, 2};
  const CommandSpec specs[] = {
      string_family.command("get", 2, get_command)
          .flags(read_fast)
          .doc("Get the value of a key", "1.0.0"),
      string_family.command("set", -3, set_command)
          .flags(write_oom)
          .doc("Set the string value of a key", "1.0.0"),
      string_family.command("setnx", 3, setnx_command)
          .flags(write_oom_fast)
          .doc("Set the value of a key, only if the key does not exist", "1.0.0"),
      string_family.command("setex", 4, setex_command)
          .flags(write_oom)
          .doc("Set the value and expiration of a key", "2.0.0"),
      string_family.command("psetex", 4, psetex_command)
          .flags(write_oom)
          .doc("Set the value and expiration in milliseconds of a key", "2.6.0"),
      string_family.command("mget", -2, mget_command)
          .flags(read_fast)
          .keys(all_keys)
          .doc("Get the values of all the given keys", "1.0.0"),
      string_family.command("mset", -3, mset_command)
          .flags(write_oom)
          .keys(pairs)
          .doc("Set multiple keys to multiple values", "1.0.1"),
      string_family.command("msetnx", -3, msetnx_command)
          .flags(write_oom)
          .keys(pairs)
          .doc("Set multiple keys to multiple values, only if none of the keys exist", "1.0.1"),
      string_family.command("getset", 3, getset_command)
          .flags(write_oom_fast)
          .doc("Set the string value of a key and return its old value", "1.0.0"),
      string_family.command("getdel", 2, getdel_command)
          .flags(flag_write | flag_fast)
          .doc("Get the value of a key and delete the key", "6.2.0"),
      string_family.command("getex", -2, getex_command)
          .flags(flag_write | flag_fast)
          .doc("Get the value of a key and optionally set its expiration", "6.2.0"),
      string_family.command("append", 3, append_command)
          .flags(write_oom_fast)
          .doc("Append a value to a key", "2.0.0"),
      string_family.command("strlen", 2, strlen_command)
          .flags(read_fast)
          .doc("Get the length of the value stored in a key", "2.2.0"),
      string_family.command("getrange", 4, getrange_command)
          .flags(flag_readonly)
          .doc("Get a substring of the string stored at a key", "2.4.0"),
      string_family.command("substr", 4, getrange_command)
          .flags(flag_readonly)
          .doc("Get a substring of the string stored at a key", "1.0.0"),
      string_family.command("setrange", 4, setrange_command)
          .flags(write_oom)
          .doc("Overwrite part of a string at key starting at the specified offset", "2.2.0"),
      string_family.command("incr", 2, incr_command)
          .flags(write_oom_fast)
          .doc("Increment the integer value of a key by one", "1.0.0"),
      string_family.command("decr", 2, decr_command)
          .flags(write_oom_fast)
          .doc("Decrement the integer value of a key by one", "1.0.0"),
      string_family.command("incrby", 3, incrby_command)
          .flags(write_oom_fast)
          .doc("Increment the integer value of a key by the given amount", "1.0.0"),
      string_family.command("decrby", 3, decrby_command)
          .flags(write_oom_fast)
          .doc("Decrement the integer value of a key by the given number", "1.0.0"),
      string_family.command("incrbyfloat", 3, incrbyfloat_command)
          .flags(write_oom_fast)
          .doc("Increment the float value of a key by the given amount", "2.6.0"),
  };
  for (const auto& spec : specs) table.add(spec);
}

}  // namespace ringcache::commands
