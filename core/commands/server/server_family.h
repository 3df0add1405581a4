#pragma once
// Internal to the server/connection family (server*.cpp): each file registers its own commands,
// and register_server_commands() in server.cpp calls them all.

#include <string_view>

#include "core/commands/command.h"

namespace ringcache::commands {

void register_connection_commands(CommandTable& table);  // server_connection.cpp
void register_client_commands(CommandTable& table);      // server_client.cpp
void register_config_commands(CommandTable& table);      // server_config.cpp
void register_command_commands(CommandTable& table);     // server_command.cpp
void register_info_command(CommandTable& table);         // server_info.cpp
void register_slowlog_commands(CommandTable& table);     // server_slowlog.cpp
void register_latency_commands(CommandTable& table);     // server_latency.cpp
void register_memory_commands(CommandTable& table);      // server_memory.cpp
void register_module_commands(CommandTable& table);      // server_module.cpp
void register_lolwut_command(CommandTable& table);       // server_lolwut.cpp
// CLIENT TRACKING, CACHING, GETREDIR, TRACKINGINFO (server_client_tracking.cpp).
std::vector<CommandSpec> client_tracking_subcommands();

// A keyless command or subcommand of the server/connection family.
inline CommandSpec keyless(std::string_view name, int arity, uint32_t flags, Handler handler,
                           std::string_view acl, std::string_view group, std::string_view summary,
                           std::string_view since) {
  CommandSpec spec;
  spec.name = name;
  spec.arity = arity;
  spec.flags = flags;
  spec.handler = handler;
  spec.acl_categories = acl;
  spec.group = group;
  spec.summary = summary;
  spec.since = since;
  return spec;
}

// A subcommand of a server-group container (CONFIG GET, SLOWLOG LEN, ...).
inline CommandSpec server_subcommand(std::string_view name, int arity, uint32_t flags,
                                     Handler handler, std::string_view acl,
                                     std::string_view summary, std::string_view since) {
  return keyless(name, arity, flags, handler, acl, "server", summary, since);
}

// A container (CONFIG, CLIENT, COMMAND ...): dispatch picks one of `subcommands` by argv[1].
inline CommandSpec container(std::string_view name, std::string_view group,
                             std::string_view summary, std::string_view since,
                             std::vector<CommandSpec> subcommands) {
  CommandSpec spec = keyless(name, -2, 0, nullptr, "@slow", group, summary, since);
  spec.subcommands = std::move(subcommands);
  return spec;
}

// CLIENT SETNAME and HELLO SETNAME: validates and sets the name, or replies the error and
// returns false.
bool set_client_name(CommandContext& ctx, std::string_view name);

// The reply to "X HELP": a status line per entry, as Redis' addReplyHelp formats it.
void reply_help(CommandContext& ctx, std::string_view command,
                std::initializer_list<std::string_view> lines);

}  // namespace ringcache::commands
