// DUMP key and RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds]
// [FREQ frequency], as Redis 7.0: the payload is Redis' own (core/persistence/dump_payload.h),
// so values move between ringcache and redis-server in both directions.
//
// RESTORE checks in Redis' order: options, then an existing key (BUSYKEY), then the TTL, then the
// payload's footer, then the payload itself; nothing changes until all of them passed. A relative
// TTL propagates as an absolute one, so the AOF and the replicas rebuild the same key whenever
// they replay it.

#include <fmt/format.h>

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/commands/arguments.h"
#include "core/commands/keys/keys_family.h"
#include "core/commands/propagate_as.h"
#include "core/commands/spec_builder.h"
#include "core/persistence/dump_payload.h"
#include "core/persistence/restore_payload.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"

namespace ringcache::commands {
namespace {

void dump_command(CommandContext& ctx) {
  const store::Entry* entry = ctx.server.keyspace().find_read(ctx.argv[1]);
  if (entry == nullptr) return ctx.reply.null();
  ctx.reply.bulk(persistence::dump_payload(*entry));
}

struct RestoreOptions {
  bool replace = false;
  bool absttl = false;
  int64_t idle_seconds = -1;  // -1: not given
  int64_t freq = -1;          // -1: not given
};

// Redis' restoreCommand options: IDLETIME and FREQ exclude each other (the second one given is a
// syntax error), each takes a value checked at once.
std::optional<RestoreOptions> parse_restore_options(CommandContext& ctx) {
  RestoreOptions options;
  for (size_t j = 4; j < ctx.argv.size(); ++j) {
    const bool has_value = j + 1 < ctx.argv.size();
    if (option_is(ctx.argv[j], "REPLACE")) {
      options.replace = true;
    } else if (option_is(ctx.argv[j], "ABSTTL")) {
      options.absttl = true;
    } else if (option_is(ctx.argv[j], "IDLETIME") && has_value && options.freq == -1) {
      const std::optional<int64_t> idle = int64_or_reply(ctx, ctx.argv[++j]);
      if (!idle) return std::nullopt;
      if (*idle < 0) {
        ctx.reply.error("ERR Invalid IDLETIME value, must be >= 0");
        return std::nullopt;
      }
      options.idle_seconds = *idle;
    } else if (option_is(ctx.argv[j], "FREQ") && has_value && options.idle_seconds == -1) {
      const std::optional<int64_t> freq = int64_or_reply(ctx, ctx.argv[++j]);
      if (!freq) return std::nullopt;
      if (*freq < 0 || *freq > 255) {
        ctx.reply.error("ERR Invalid FREQ value, must be >= 0 and <= 255");
        return std::nullopt;
      }
      options.freq = *freq;
    } else {
      ctx.reply.error(errors::syntax);
      return std::nullopt;
    }
  }
  return options;
}

// The form the AOF and the replicas replay, as Redis 7.0 rewrites it: a relative TTL becomes the
// absolute time it gave, with ABSTTL added, so a later replay sets the same deadline; any other
// RESTORE goes as it came.
void propagate_restore(CommandContext& ctx, int64_t expire_at_ms, const RestoreOptions& options) {
  if (expire_at_ms == store::no_expiry || options.absttl) return;
  const std::string at = fmt::format("{}", expire_at_ms);
  std::vector<std::string_view> argv(ctx.argv.begin(), ctx.argv.end());
  argv[2] = at;
  argv.push_back("ABSTTL");
  ctx.server.propagation().replace_with(argv);
}

// The absolute expiry a TTL argument gives, or no_expiry for 0. A relative TTL too large to add
// to the clock saturates (Redis would overflow).
int64_t restore_expiry(int64_t ttl, bool absttl, int64_t now_ms) {
  if (ttl == 0) return store::no_expiry;
  if (absttl) return ttl;
  return ttl > std::numeric_limits<int64_t>::max() - now_ms
             ? std::numeric_limits<int64_t>::max()
             : ttl + now_ms;
}

void restore_command(CommandContext& ctx) {
  const std::optional<RestoreOptions> options = parse_restore_options(ctx);
  if (!options) return;
  const std::string_view key = ctx.argv[1];
  store::Keyspace& keyspace = ctx.server.keyspace();
  if (!options->replace && keyspace.find_write(key) != nullptr) {
    return ctx.reply.error("BUSYKEY Target key name already exists.");
  }
  const std::optional<int64_t> ttl = int64_or_reply(ctx, ctx.argv[2]);
  if (!ttl) return;
  if (*ttl < 0) return ctx.reply.error("ERR Invalid TTL value, must be >= 0");
  const std::string_view payload = ctx.argv[3];
  if (!persistence::dump_footer_valid(payload)) {
    return ctx.reply.error("ERR DUMP payload version or checksum are wrong");
  }
  std::optional<persistence::RestoredValue> value = persistence::parse_dump_payload(
      payload, ctx.server.config().encoding, ctx.server.runtime().rng());
  if (!value) return ctx.reply.error("ERR Bad data format");

  const bool deleted = options->replace && keyspace.erase(key);
  const int64_t expire_at_ms = restore_expiry(*ttl, options->absttl, keyspace.now_ms());
  if (expire_at_ms != store::no_expiry && past_expiry_deletes(ctx, expire_at_ms)) {
    // Already expired: nothing is created, and only the replaced key's deletion is news.
    if (deleted) {
      propagate_as_del(ctx, key);
      ctx.server.key_modified(key);
      ctx.server.notify_keyspace_event(server::event_generic, "del", key);
    } else {
      ctx.server.propagation().replace_with_nothing();
    }
    return ctx.reply.ok();
  }
  store::Entry* entry = nullptr;
  if (value->type == store::ValueType::string) {
    entry = keyspace.set_string(key, value->string, expire_at_ms);
  } else {
    entry = keyspace.store_collection(key, std::move(value->collection));
    keyspace.set_expire(entry, expire_at_ms);
  }
  keyspace.restore_access(entry, options->idle_seconds, static_cast<int>(options->freq));
  propagate_restore(ctx, expire_at_ms, *options);
  ctx.server.key_modified(key);
  ctx.server.notify_keyspace_event(server::event_generic, "restore", key);
  ctx.reply.ok();
}

}  // namespace

void register_dump_restore_commands(CommandTable& table) {
  table.add(spec("dump", 2, dump_command)
                .flags(flag_readonly)
                .keys(one_key)
                .acl("@keyspace @read @slow")
                .group("generic")
                .doc("Return a serialized version of the value stored at the specified key.",
                     "2.6.0"));
  table.add(spec("restore", -4, restore_command)
                .flags(write_oom)
                .keys(one_key)
                .acl("@keyspace @write @slow @dangerous")
                .group("generic")
                .doc("Create a key using the provided serialized value, previously obtained using "
                     "DUMP.",
                     "2.6.0"));
}

}  // namespace ringcache::commands
