// The HyperLogLog family: PFADD, PFCOUNT and PFMERGE on string values in Redis' own format
// (hll_format.h), with Redis 7.0's replies and errors (hyperloglog.c).

#include <optional>
#include <string>
#include <string_view>

#include "core/commands/arguments.h"
#include "core/commands/command.h"
#include "core/commands/encoded_families.h"
#include "core/commands/hyperloglog/hll_format.h"
#include "core/commands/spec_builder.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"

namespace ringcache::commands {
namespace {

using store::Entry;
using store::no_expiry;
using store::StringForm;

constexpr std::string_view not_hll = "WRONGTYPE Key is not a valid HyperLogLog string value.";
constexpr std::string_view corrupted = "INVALIDOBJ Corrupted HLL object detected";

// WRONGTYPE (another type, or a string that is no HyperLogLog) replied: true.
bool reject_not_hll(CommandContext& ctx, const Entry* entry) {
  if (reject_wrong_type(ctx, entry)) return true;
  if (entry == nullptr || hll::looks_valid(entry->string_value())) return false;
  ctx.reply.error(not_hll);
  return true;
}

// Redis' hll-sparse-max-bytes default; not yet a configuration option here.
size_t sparse_max_bytes(CommandContext&) { return hll::sparse_max_bytes_default; }

// Writes a new value for `key` (created when absent), keeping its TTL.
void store_hll(CommandContext& ctx, std::string_view key, Entry* entry, const std::string& value) {
  auto& keyspace = ctx.server.keyspace();
  if (entry == nullptr) {
    keyspace.set_string_form(keyspace.set_string(key, value, no_expiry), StringForm::raw);
  } else {
    keyspace.update_string(entry, value, StringForm::raw);
  }
}

void pfadd_command(CommandContext& ctx) {
  const std::string_view key = ctx.argv[1];
  Entry* entry = ctx.server.keyspace().find_write(key);
  if (reject_not_hll(ctx, entry)) return;
  std::string value = entry == nullptr ? hll::make_empty() : std::string(entry->string_value());
  bool updated = entry == nullptr;
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    const auto changed = hll::add(value, ctx.argv[i], sparse_max_bytes(ctx));
    if (!changed) return ctx.reply.error(corrupted);
    updated |= *changed == 1;
  }
  if (updated) {
    hll::invalidate_cache(value);
    store_hll(ctx, key, entry, value);
    ctx.server.key_modified(key);
    ctx.server.notify_keyspace_event(server::event_string, "pfadd", key);
  }
  ctx.reply.integer(updated ? 1 : 0);
}

// PFCOUNT of several keys: the cardinality of their union, nothing cached.
void pfcount_union(CommandContext& ctx) {
  hll::Registers max{};
  for (size_t i = 1; i < ctx.argv.size(); ++i) {
    const Entry* entry = ctx.server.keyspace().find_read(ctx.argv[i]);
    if (entry == nullptr) continue;
    if (reject_not_hll(ctx, entry)) return;
    if (!hll::merge_into(entry->string_value(), max)) return ctx.reply.error(corrupted);
  }
  ctx.reply.integer(static_cast<int64_t>(hll::estimate_registers(max)));
}

void pfcount_command(CommandContext& ctx) {
  if (ctx.argv.size() > 2) return pfcount_union(ctx);
  const std::string_view key = ctx.argv[1];
  Entry* entry = ctx.server.keyspace().find_read(key);
  if (entry == nullptr) return ctx.reply.integer(0);
  if (reject_not_hll(ctx, entry)) return;
  if (const auto cached = hll::cached_cardinality(entry->string_value())) {
    return ctx.reply.integer(static_cast<int64_t>(*cached));
  }
  const auto cardinality = hll::estimate(entry->string_value());
  if (!cardinality) return ctx.reply.error(corrupted);
  // Caching the estimate changes the value: a write as far as WATCH and the AOF go, as in Redis.
  std::string value(entry->string_value());
  hll::set_cached_cardinality(value, *cardinality);
  store_hll(ctx, key, entry, value);
  ctx.server.key_modified(key);
  ctx.reply.integer(static_cast<int64_t>(*cardinality));
}

void pfmerge_command(CommandContext& ctx) {
  auto& keyspace = ctx.server.keyspace();
  hll::Registers max{};
  bool any_dense = false;
  // The destination is argv[1] and is merged too.
  for (size_t i = 1; i < ctx.argv.size(); ++i) {
    const Entry* entry = keyspace.find_read(ctx.argv[i]);
    if (entry == nullptr) continue;
    if (reject_not_hll(ctx, entry)) return;
    any_dense |= hll::is_dense(entry->string_value());
    if (!hll::merge_into(entry->string_value(), max)) return ctx.reply.error(corrupted);
  }
  const std::string_view key = ctx.argv[1];
  Entry* entry = keyspace.find_write(key);
  std::string value = entry == nullptr ? hll::make_empty() : std::string(entry->string_value());
  if (any_dense && !hll::to_dense(value)) return ctx.reply.error(corrupted);
  for (size_t i = 0; i < hll::register_count; ++i) {
    if (max[i] != 0) hll::raise_register(value, i, max[i], sparse_max_bytes(ctx));
  }
  hll::invalidate_cache(value);
  store_hll(ctx, key, entry, value);
  ctx.server.key_modified(key);
  // A merge adds elements, so it reports the same event as PFADD.
  ctx.server.notify_keyspace_event(server::event_string, "pfadd", key);
  ctx.reply.ok();
}

CommandSpec hll_spec(std::string name, int arity, uint32_t flags, KeyRange keys, Handler handler,
                     std::string summary) {
  return SpecBuilder::family("hyperloglog", data_acl("@hyperloglog"), keys)
      .command(name, arity, handler)
      .flags(flags)
      .doc(summary, "2.8.9");
}

}  // namespace

void register_hyperloglog_commands(CommandTable& table) {
  const CommandSpec specs[] = {
      hll_spec("pfadd", -2, write_oom_fast, one_key, pfadd_command,
               "Adds the specified elements to the specified HyperLogLog."),
      hll_spec("pfcount", -2, flag_readonly | flag_may_replicate, all_keys, pfcount_command,
               "Return the approximated cardinality of the set(s) observed by the HyperLogLog at "
               "key(s)."),
      hll_spec("pfmerge", -2, write_oom, all_keys, pfmerge_command,
               "Merge N different HyperLogLogs into a single one."),
  };
  for (const auto& spec : specs) table.add(spec);
}

}  // namespace ringcache::commands
