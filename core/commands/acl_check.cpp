#include "core/commands/acl_check.h"

#include <fmt/format.h>

#include "core/commands/client_modes.h"
#include "core/commands/server/server_family.h"

namespace ringcache::commands {
namespace {

using server::acl::Denial;

std::string_view context_name(AclContext context) {
  switch (context) {
    case AclContext::toplevel: return "toplevel";
    case AclContext::multi: return "multi";
    case AclContext::lua: return "lua";
  }
  return "toplevel";
}

void record(server::Server& server, server::Client& client, std::string_view reason,
            AclContext context, std::string_view object, std::string_view username) {
  server::acl::LogEntry entry;
  entry.reason = reason;
  entry.context = context_name(context);
  entry.object = object;
  entry.username = username;
  entry.updated_ms = server.runtime().wall_time_ms();
  entry.client_info = describe_client(server, client);
  if (!entry.client_info.empty() && entry.client_info.back() == '\n') entry.client_info.pop_back();
  server.acl().log().add(std::move(entry), static_cast<size_t>(server.config().acllog_max_len));
}

void log_denial(server::Server& server, server::Client& client, const server::acl::Verdict& verdict,
                const server::CommandSpec& spec, std::span<const std::string_view> argv,
                AclContext context) {
  server::acl::AclStats& stats = server.acl().stats();
  std::string_view reason = "command";
  std::string_view object = spec.name;
  if (verdict.denial == Denial::key) {
    ++stats.denied_key;
    reason = "key";
  } else if (verdict.denial == Denial::channel) {
    ++stats.denied_channel;
    reason = "channel";
  } else {
    ++stats.denied_cmd;
  }
  if (verdict.denial != Denial::command) object = argv[static_cast<size_t>(verdict.argument)];
  record(server, client, reason, context, object, client.user->name);
}

std::string noperm_reply(const server::acl::Verdict& verdict, const server::CommandSpec& spec,
                         bool in_exec) {
  if (in_exec) {
    const std::string_view reason =
        verdict.denial == Denial::key       ? "no permission to touch the specified keys"
        : verdict.denial == Denial::channel ? "no permission to access one of the channels used "
                                              "as arguments"
                                            : "no permission to execute the command or subcommand";
    return fmt::format(
        "NOPERM ACLs rules changed between the moment the transaction was accumulated and the "
        "EXEC call. This command is no longer allowed for the following reason: {}",
        reason);
  }
  switch (verdict.denial) {
    case Denial::key:
      return "NOPERM this user has no permissions to access one of the keys used as arguments";
    case Denial::channel:
      return "NOPERM this user has no permissions to access one of the channels used as "
             "arguments";
    default:
      return fmt::format("NOPERM this user has no permissions to run the '{}' command", spec.name);
  }
}

}  // namespace

server::acl::Verdict acl_check(server::Server& server, server::Client& client,
                               const server::CommandSpec& spec,
                               std::span<const std::string_view> argv, AclContext context) {
  if (acl_unrestricted(client)) return {};
  const server::acl::Verdict verdict = server::acl::check_command(*client.user, spec, argv);
  if (!verdict.allowed()) log_denial(server, client, verdict, spec, argv, context);
  return verdict;
}

bool acl_admits(server::Server& server, server::Client& client, const server::CommandSpec& spec,
                std::span<const std::string_view> argv, protocol::ReplyWriter& reply) {
  const AclContext context =
      client.in_multi || client.in_exec ? AclContext::multi : AclContext::toplevel;
  const server::acl::Verdict verdict = acl_check(server, client, spec, argv, context);
  if (verdict.allowed()) return true;
  refuse_command(server, client, spec, reply, noperm_reply(verdict, spec, client.in_exec));
  return false;
}

bool authenticate(server::Server& server, server::Client& client, std::string_view user,
                  std::string_view password, std::string_view command) {
  std::shared_ptr<server::acl::User> found = server.acl().authenticate(user, password);
  if (found == nullptr) {
    ++server.acl().stats().denied_auth;
    const AclContext context = client.in_multi ? AclContext::multi : AclContext::toplevel;
    record(server, client, "auth", context, command, user);
    return false;
  }
  client.user = std::move(found);
  client.authenticated = true;
  return true;
}

std::string denial_message(const server::acl::Verdict& verdict, const server::CommandSpec& spec,
                           std::span<const std::string_view> argv) {
  switch (verdict.denial) {
    case Denial::key:
      return fmt::format("This user has no permissions to access the '{}' key",
                         argv[static_cast<size_t>(verdict.argument)]);
    case Denial::channel:
      return fmt::format("This user has no permissions to access the '{}' channel",
                         argv[static_cast<size_t>(verdict.argument)]);
    default:
      return fmt::format("This user has no permissions to run the '{}' command", spec.name);
  }
}

}  // namespace ringcache::commands
