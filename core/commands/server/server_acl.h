#pragma once
// Internal to the ACL command files (server_acl*.cpp): what several subcommands share.

#include <string>
#include <vector>

#include "core/commands/spec_builder.h"
#include "core/server/server.h"

namespace ringcache::commands {

// Closes the clients whose user `user` is, or whose user no longer exists (ACL DELUSER, LOAD):
// the caller itself once its reply is out, others at once; as Redis, they count as logged out.
void kill_clients_of(server::Server& server, server::Client& caller,
                     const server::acl::User* user);
void kill_clients_of_unknown_users(server::Server& server, server::Client& caller);
// "ERR unknown subcommand or wrong number of arguments for 'log'. Try ACL HELP."
void reply_acl_syntax(CommandContext& ctx);

// LOG, LOAD, SAVE (server_acl_log_file.cpp).
void acl_log(CommandContext& ctx);
void acl_load(CommandContext& ctx);
void acl_save(CommandContext& ctx);
// The users file's path for the runtime's Disk (rooted at dir): the aclfile, which must lie
// inside dir.
Result<std::string> acl_file_path(server::Server& server);

}  // namespace ringcache::commands
