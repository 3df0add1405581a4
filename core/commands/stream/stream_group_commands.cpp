// XGROUP CREATE, SETID, DESTROY, CREATECONSUMER, DELCONSUMER and HELP (Redis 7.0's
// xgroupCommand): the key must exist (CREATE may make it with MKSTREAM), and every subcommand
// but CREATE needs the group.

#include <fmt/format.h>

#include "core/commands/arguments.h"
#include "core/commands/server/server_family.h"
#include "core/commands/stream/stream_family.h"
#include "core/server/server.h"
#include "core/store/keyspace.h"

namespace ringcache::commands::stream {
namespace {

// [MKSTREAM] [ENTRIESREAD n] from argv[5]; false after replying.
bool parse_group_options(CommandContext& ctx, bool allow_mkstream, bool& mkstream,
                         int64_t& entries_read) {
  for (size_t i = 5; i < ctx.argv.size();) {
    if (allow_mkstream && option_is(ctx.argv[i], "MKSTREAM")) {
      mkstream = true;
      ++i;
    } else if (option_is(ctx.argv[i], "ENTRIESREAD") && i + 1 < ctx.argv.size()) {
      const auto value = int64_or_reply(ctx, ctx.argv[i + 1]);
      if (!value) return false;
      if (*value < 0 && *value != store::stream_entries_read_unknown) {
        ctx.reply.error("ERR value for ENTRIESREAD must be positive or -1");
        return false;
      }
      entries_read = *value;
      i += 2;
    } else {
      reply_subcommand_syntax_error(ctx, "XGROUP");
      return false;
    }
  }
  return true;
}

// The stream of argv[2] for a subcommand; `ok` false after replying.
Lookup existing_stream(CommandContext& ctx, bool may_be_absent) {
  Lookup lookup = find_write(ctx, ctx.argv[2]);
  if (!lookup.ok || lookup.value != nullptr || may_be_absent) return lookup;
  ctx.reply.error(
      "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want "
      "to use the MKSTREAM option to create an empty stream automatically.");
  lookup.ok = false;
  return lookup;
}

// The group of argv[3] in an existing stream; nullptr after replying NOGROUP.
store::StreamGroup* existing_group(CommandContext& ctx, const Lookup& lookup) {
  store::StreamGroup* group = lookup.value->find_group(ctx.argv[3]);
  if (group == nullptr) {
    ctx.reply.error(fmt::format("NOGROUP No such consumer group '{}' for key name '{}'",
                                ctx.argv[3], ctx.argv[2]));
  }
  return group;
}

}  // namespace

// XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD entries-read]
void xgroup_create_command(CommandContext& ctx) {
  bool mkstream = false;
  int64_t entries_read = store::stream_entries_read_unknown;
  if (!parse_group_options(ctx, true, mkstream, entries_read)) return;
  if (ctx.argv.size() > 8) return reply_subcommand_syntax_error(ctx, "XGROUP");
  Lookup lookup = existing_stream(ctx, mkstream);
  if (!lookup.ok) return;
  StreamId id;
  if (ctx.argv[4] == "$") {
    id = lookup.value == nullptr ? StreamId::min() : lookup.value->state().last_id;
  } else {
    const auto parsed = id_or_reply(ctx, ctx.argv[4]);
    if (!parsed) return;
    id = *parsed;
  }
  if (lookup.value == nullptr) lookup = create(ctx, ctx.argv[2]);
  auto& groups = lookup.value->state().groups;
  if (groups.find(ctx.argv[3]) != groups.end()) {
    return ctx.reply.error("BUSYGROUP Consumer Group name already exists");
  }
  groups.emplace(std::string(ctx.argv[3]), store::StreamGroup(id, entries_read));
  ctx.reply.ok();
  written(ctx, lookup, ctx.argv[2], "xgroup-create");
}

// XGROUP SETID key group id|$ [ENTRIESREAD entries-read]
void xgroup_setid_command(CommandContext& ctx) {
  bool mkstream = false;
  int64_t entries_read = store::stream_entries_read_unknown;
  if (!parse_group_options(ctx, false, mkstream, entries_read)) return;
  if (ctx.argv.size() != 5 && ctx.argv.size() != 7) {
    return reply_subcommand_syntax_error(ctx, "XGROUP");
  }
  const Lookup lookup = existing_stream(ctx, false);
  if (!lookup.ok) return;
  store::StreamGroup* group = existing_group(ctx, lookup);
  if (group == nullptr) return;
  StreamId id;
  if (ctx.argv[4] == "$") {
    id = lookup.value->state().last_id;
  } else {
    const auto parsed = id_or_reply(ctx, ctx.argv[4], 0, false);
    if (!parsed) return;
    id = *parsed;
  }
  group->last_id = id;
  group->entries_read = entries_read;
  ctx.reply.ok();
  written(ctx, lookup, ctx.argv[2], "xgroup-setid");
}

// XGROUP DESTROY key group
void xgroup_destroy_command(CommandContext& ctx) {
  const Lookup lookup = existing_stream(ctx, false);
  if (!lookup.ok) return;
  auto& groups = lookup.value->state().groups;
  const auto found = groups.find(ctx.argv[3]);
  if (found == groups.end()) return ctx.reply.integer(0);
  groups.erase(found);
  ctx.reply.integer(1);
  // written() signals the key, so readers blocked on the group get -NOGROUP.
  written(ctx, lookup, ctx.argv[2], "xgroup-destroy");
}

// XGROUP CREATECONSUMER key group consumer
void xgroup_createconsumer_command(CommandContext& ctx) {
  const Lookup lookup = existing_stream(ctx, false);
  if (!lookup.ok) return;
  store::StreamGroup* group = existing_group(ctx, lookup);
  if (group == nullptr) return;
  bool created = false;
  group->consumer(ctx.argv[4], now_ms(ctx), &created);
  ctx.reply.integer(created ? 1 : 0);
  if (created) written(ctx, lookup, ctx.argv[2], "xgroup-createconsumer");
}

// XGROUP DELCONSUMER key group consumer: replies the pending entries it held.
void xgroup_delconsumer_command(CommandContext& ctx) {
  const Lookup lookup = existing_stream(ctx, false);
  if (!lookup.ok) return;
  store::StreamGroup* group = existing_group(ctx, lookup);
  if (group == nullptr) return;
  const auto held = group->delete_consumer(ctx.argv[4]);
  ctx.reply.integer(static_cast<int64_t>(held.value_or(0)));
  if (held) written(ctx, lookup, ctx.argv[2], "xgroup-delconsumer");
}

void xgroup_help_command(CommandContext& ctx) {
  reply_help(
      ctx, "XGROUP",
      {"CREATE <key> <groupname> <id|$> [option]",
       "    Create a new consumer group. Options are:", "    * MKSTREAM",
       "      Create the empty stream if it does not exist.", "    * ENTRIESREAD entries_read",
       "      Set the group's entries_read counter (internal use).",
       "CREATECONSUMER <key> <groupname> <consumer>",
       "    Create a new consumer in the specified group.",
       "DELCONSUMER <key> <groupname> <consumer>", "    Remove the specified consumer.",
       "DESTROY <key> <groupname>", "    Remove the specified group.",
       "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
       "    Set the current group ID and entries_read counter."});
}

}  // namespace ringcache::commands::stream
