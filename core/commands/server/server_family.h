#pragma once
// Internal to the server/connection family (server*.cpp): each file registers its own commands,
// and register_server_commands() in server.cpp calls them all.

#include <string_view>

#include "core/commands/spec_builder.h"

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
void register_acl_commands(CommandTable& table);         // server_acl.cpp
// CLIENT TRACKING, CACHING, GETREDIR, TRACKINGINFO (server_client_tracking.cpp).
std::vector<CommandSpec> client_tracking_subcommands();

// One CLIENT LIST line, ending in a newline (also ACL LOG's client-info).
std::string describe_client(server::Server& server, const server::Client& client);

// CLIENT SETNAME and HELLO SETNAME: validates and sets the name, or replies the error and
// returns false.
bool set_client_name(CommandContext& ctx, std::string_view name);

// The reply to "X HELP": a status line per entry, as Redis' addReplyHelp formats it.
void reply_help(CommandContext& ctx, std::string_view command,
                std::initializer_list<std::string_view> lines);

}  // namespace ringcache::commands
