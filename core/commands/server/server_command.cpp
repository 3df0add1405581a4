// COMMAND and its subcommands: the command table described in Redis 7.0's reply shapes, so
// cluster clients find keys and redis-cli finds hints.

#include <fmt/format.h>

#include "core/commands/arguments.h"
#include "core/commands/server/server_family.h"
#include "core/protocol/ascii.h"
#include "core/server/server.h"
#include "core/util/glob.h"

namespace ringcache::commands {
namespace {

// "config|get" finds the CONFIG subcommand; plain names find top-level commands.
const CommandSpec* find_by_full_name(const CommandTable& table, std::string_view name) {
  const size_t bar = name.find('|');
  if (bar == std::string_view::npos) return table.find(name);
  const CommandSpec* parent = table.find(name.substr(0, bar));
  return parent == nullptr ? nullptr : table.find_subcommand(*parent, name.substr(bar + 1));
}

std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const size_t space = text.find(' ');
    if (space != 0) out.push_back(text.substr(0, space));
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return out;
}

void reply_key_flags(uint16_t flags, protocol::ReplyWriter& reply) {
  const auto names = key_spec_flag_names(flags);
  reply.set(names.size());
  for (std::string_view name : names) reply.simple(name);
}

// The legacy range as one key specification (begin_search index, find_keys range), with the
// first key's flags.
void reply_key_specs(const CommandSpec& spec, protocol::ReplyWriter& reply) {
  if (spec.keys.first <= 0) return reply.empty_array();
  const int last = spec.keys.last < 0 ? spec.keys.last : spec.keys.last - spec.keys.first;
  reply.array(1);
  reply.map(3);
  reply.bulk("flags");
  reply_key_flags(CommandTable::declared_key_flags(spec), reply);
  reply.bulk("begin_search");
  reply.map(2);
  reply.bulk("type");
  reply.bulk("index");
  reply.bulk("spec");
  reply.map(1);
  reply.bulk("index");
  reply.integer(spec.keys.first);
  reply.bulk("find_keys");
  reply.map(2);
  reply.bulk("type");
  reply.bulk("range");
  reply.bulk("spec");
  reply.map(3);
  reply.bulk("lastkey");
  reply.integer(last);
  reply.bulk("keystep");
  reply.integer(spec.keys.step);
  reply.bulk("limit");
  reply.integer(0);
}

void reply_command_info(const CommandSpec& spec, protocol::ReplyWriter& reply) {
  reply.array(10);
  reply.bulk(spec.name);
  reply.integer(spec.arity);
  const auto flags = flag_names(spec.flags);
  reply.set(flags.size());
  for (std::string_view flag : flags) reply.simple(flag);
  reply.integer(spec.keys.first);
  reply.integer(spec.keys.last);
  reply.integer(spec.keys.step);
  const auto categories = words(spec.acl_categories);
  reply.set(categories.size());
  for (std::string_view category : categories) reply.simple(category);
  reply.set(0);  // tips
  reply_key_specs(spec, reply);
  reply.array(spec.subcommands.size());
  for (const CommandSpec& sub : spec.subcommands) reply_command_info(sub, reply);
}

void command_all(CommandContext& ctx) {
  const auto& all = ctx.server.commands().all();
  ctx.reply.array(all.size());
  for (const CommandSpec* spec : all) reply_command_info(*spec, ctx.reply);
}

void command_count(CommandContext& ctx) {
  ctx.reply.integer(static_cast<int64_t>(ctx.server.commands().size()));
}

void command_info(CommandContext& ctx) {
  if (ctx.argv.size() == 2) return command_all(ctx);
  ctx.reply.array(ctx.argv.size() - 2);
  for (size_t i = 2; i < ctx.argv.size(); ++i) {
    const CommandSpec* spec = find_by_full_name(ctx.server.commands(), ctx.argv[i]);
    if (spec == nullptr) {
      ctx.reply.null_array();
    } else {
      reply_command_info(*spec, ctx.reply);
    }
  }
}

void reply_command_docs(const CommandSpec& spec, protocol::ReplyWriter& reply) {
  const bool has_subcommands = !spec.subcommands.empty();
  reply.map(has_subcommands ? 4 : 3);
  reply.bulk("summary");
  reply.bulk(spec.summary);
  reply.bulk("since");
  reply.bulk(spec.since);
  reply.bulk("group");
  reply.bulk(spec.group);
  if (!has_subcommands) return;
  reply.bulk("subcommands");
  reply.map(spec.subcommands.size());
  for (const CommandSpec& sub : spec.subcommands) {
    reply.bulk(sub.name);
    reply_command_docs(sub, reply);
  }
}

void command_docs(CommandContext& ctx) {
  std::vector<const CommandSpec*> found;
  if (ctx.argv.size() == 2) {
    found = ctx.server.commands().all();
  } else {
    for (size_t i = 2; i < ctx.argv.size(); ++i) {
      const CommandSpec* spec = find_by_full_name(ctx.server.commands(), ctx.argv[i]);
      if (spec != nullptr) found.push_back(spec);  // unknown names are left out, as Redis does
    }
  }
  ctx.reply.map(found.size());
  for (const CommandSpec* spec : found) {
    ctx.reply.bulk(spec->name);
    reply_command_docs(*spec, ctx.reply);
  }
}

// COMMAND GETKEYS and GETKEYSANDFLAGS (each key with its key-spec flags). Redis checks in this
// order: a known command, one that names keys at all, its arity, then the keys of this call;
// finding none is an error unless the command may take none (EVAL with numkeys 0).
void getkeys_generic(CommandContext& ctx, bool with_flags) {
  const auto call = ctx.argv.subspan(2);
  const CommandTable& table = ctx.server.commands();
  const CommandSpec* spec = table.find(call[0]);
  if (spec != nullptr && !spec->subcommands.empty() && call.size() >= 2) {
    spec = table.find_subcommand(*spec, call[1]);
  }
  if (spec == nullptr) return ctx.reply.error("ERR Invalid command specified");
  if (!CommandTable::has_keys(*spec)) {
    return ctx.reply.error("ERR The command has no key arguments");
  }
  const auto argc = static_cast<int64_t>(call.size());
  if ((spec->arity > 0 && argc != spec->arity) || argc < -spec->arity) {
    return ctx.reply.error("ERR Invalid number of arguments specified for command");
  }
  const std::vector<int> positions = CommandTable::key_positions(*spec, call);
  if (positions.empty() && (spec->flags & flag_no_mandatory_keys) == 0) {
    return ctx.reply.error("ERR Invalid arguments specified for command");
  }
  ctx.reply.array(positions.size());
  for (size_t i = 0; i < positions.size(); ++i) {
    if (with_flags) ctx.reply.array(2);
    ctx.reply.bulk(call[static_cast<size_t>(positions[i])]);
    if (with_flags) reply_key_flags(CommandTable::key_flags_of(*spec, call, i), ctx.reply);
  }
}

void command_getkeys(CommandContext& ctx) { getkeys_generic(ctx, false); }
void command_getkeysandflags(CommandContext& ctx) { getkeys_generic(ctx, true); }

// Whether COMMAND LIST FILTERBY <kind> <value> keeps `spec`.
bool list_filter_keeps(std::string_view kind, std::string_view value, const CommandSpec& spec) {
  if (protocol::iequals(kind, "pattern")) return util::glob_match(value, spec.name, true);
  if (protocol::iequals(kind, "aclcat")) {
    for (std::string_view category : words(spec.acl_categories)) {
      if (protocol::iequals(category.substr(1), value)) return true;
    }
    return false;
  }
  return false;  // "module": no modules here
}

void command_list(CommandContext& ctx) {
  const bool filtered = ctx.argv.size() == 5 && option_is(ctx.argv[2], "FILTERBY");
  const std::string_view kind = filtered ? ctx.argv[3] : "";
  if (ctx.argv.size() != 2 &&
      !(filtered &&
        (option_is(kind, "pattern") || option_is(kind, "aclcat") || option_is(kind, "module")))) {
    return ctx.reply.error(errors::syntax);
  }
  std::vector<std::string_view> names;
  auto consider = [&](const CommandSpec& spec) {
    if (!filtered || list_filter_keeps(kind, ctx.argv[4], spec)) names.push_back(spec.name);
  };
  for (const CommandSpec* spec : ctx.server.commands().all()) {
    consider(*spec);
    for (const CommandSpec& sub : spec->subcommands) consider(sub);
  }
  ctx.reply.array(names.size());
  for (std::string_view name : names) ctx.reply.bulk(name);
}

void command_help(CommandContext& ctx) {
  reply_help(ctx, "COMMAND",
             {"(no subcommand)", "    Return details about all Redis commands.", "COUNT",
              "    Return the total number of commands in this Redis server.", "LIST",
              "    Return a list of all commands in this Redis server.",
              "INFO [<command-name> ...]", "    Return details about multiple Redis commands.",
              "    If no command names are given, documentation details for all",
              "    commands are returned.", "DOCS [<command-name> ...]",
              "    Return documentation details about multiple Redis commands.",
              "    If no command names are given, documentation details for all",
              "    commands are returned.", "GETKEYS <full-command>",
              "    Return the keys from a full Redis command.", "GETKEYSANDFLAGS <full-command>",
              "    Return the keys and the access flags from a full Redis command."});
}

}  // namespace

void register_command_commands(CommandTable& table) {
  const SpecBuilder command =
      SpecBuilder::family("server", "@slow @connection").flags(flag_loading | flag_stale);
  table.add(command.command("command", -1, command_all)
                .doc("Get array of Redis command details", "2.8.13")
                .subcommands({
                    command.command("command|count", 2, command_count)
                        .doc("Get total number of Redis commands", "2.8.13"),
                    command.command("command|info", -2, command_info)
                        .doc("Get array of specific Redis command details", "2.8.13"),
                    command.command("command|docs", -2, command_docs)
                        .doc("Get array of specific Redis command documentation", "7.0.0"),
                    command.command("command|getkeys", -4, command_getkeys)
                        .doc("Extract keys given a full Redis command", "2.8.13"),
                    command.command("command|getkeysandflags", -4, command_getkeysandflags)
                        .doc("Extract keys and access flags given a full Redis command", "7.0.0"),
                    command.command("command|list", -2, command_list)
                        .doc("Get an array of Redis command names", "7.0.0"),
                    command.command("command|help", 2, command_help)
                        .doc("Show helpful text about the different subcommands", "5.0.0"),
                }));
}

}  // namespace ringcache::commands
