#pragma once
// ACL in dispatch and the script caller: whether the client's user may run a command, and the
// record of each refusal and failed login (ACL LOG, INFO's acl_access_denied_* counters).

#include <span>
#include <string_view>

#include "core/protocol/reply_writer.h"
#include "core/server/acl/permissions.h"
#include "core/server/server.h"

namespace ringcache::commands {

// Where a refusal happened, as ACL LOG's "context" says it.
enum class AclContext { toplevel, multi, lua };

// Whether the client may run the command: true at once for the node's own clients and
// unrestricted users (the default user's usual case).
inline bool acl_unrestricted(const server::Client& client) {
  return client.user == nullptr || client.user->unrestricted;
}

// The client's user's verdict on the call; a refusal is logged and counted.
server::acl::Verdict acl_check(server::Server& server, server::Client& client,
                               const server::CommandSpec& spec,
                               std::span<const std::string_view> argv, AclContext context);
// Dispatch's check: refuses with Redis' NOPERM words (EXEC's own words for a queued command
// that lost its permission after MULTI) and returns false.
bool acl_admits(server::Server& server, server::Client& client, const server::CommandSpec& spec,
                std::span<const std::string_view> argv, protocol::ReplyWriter& reply);
// AUTH, HELLO AUTH: the client becomes `user` when the password is right; a failure is logged
// with `command` (the command's name as sent) as its object, as Redis logs it.
bool authenticate(server::Server& server, server::Client& client, std::string_view user,
                  std::string_view password, std::string_view command);
// ACL DRYRUN's and the log's one-line reason.
std::string denial_message(const server::acl::Verdict& verdict, const server::CommandSpec& spec,
                           std::span<const std::string_view> argv);

}  // namespace ringcache::commands
