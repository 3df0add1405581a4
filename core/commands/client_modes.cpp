#include "core/commands/client_modes.h"

#include <fmt/format.h>

#include "core/constants.h"

namespace ringcache::commands {
namespace {

bool queue(server::Server& server, server::Client& client, const CommandSpec& spec,
           std::span<const std::string_view> argv, protocol::ReplyWriter& reply) {
  size_t bytes = 0;
  for (std::string_view arg : argv) bytes += arg.size();
  if (client.queued_bytes + bytes > constants::multi_queued_bytes_max) {
    refuse_command(server, client, spec, reply, "ERR Transaction queue too large");
    return true;
  }
  client.queued.emplace_back(argv.begin(), argv.end());
  client.queued_bytes += bytes;
  reply.simple("QUEUED");
  return true;
}

}  // namespace

void refuse_command(server::Server& server, server::Client& client, const CommandSpec& spec,
                    protocol::ReplyWriter& reply, std::string_view error) {
  if ((spec.flags & flag_runs_transaction) == 0) {
    mark_transaction_failed(client);
    return reply.error(error);
  }
  server.forget_transaction(client);
  if (error.substr(0, 4) == "ERR ") error.remove_prefix(4);
  reply.error(fmt::format("EXECABORT Transaction discarded because of: {}", error));
}

bool diverted(server::Server& server, server::Client& client, const CommandSpec& spec,
              std::span<const std::string_view> argv, protocol::ReplyWriter& reply) {
  if (client.in_exec) return false;  // EXEC runs what was admitted when it was queued
  if (client.in_multi && (spec.flags & flag_no_multi) != 0) {
    refuse_command(server, client, spec, reply, "ERR Command not allowed inside a transaction");
    return true;
  }
  if (client.resp_version == 2 && client.subscribed() &&
      (spec.flags & flag_subscribed_allowed) == 0) {
    refuse_command(server, client, spec, reply,
                   fmt::format("ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / "
                               "PING / QUIT / RESET are allowed in this context",
                               spec.name));
    return true;
  }
  if (client.in_multi && (spec.flags & flag_transaction_control) == 0) {
    return queue(server, client, spec, argv, reply);
  }
  return false;
}

void remember_read_keys(server::Server& server, server::Client& client, const CommandSpec& spec,
                        std::span<const std::string_view> argv) {
  const server::Client::Tracking& tracking = client.tracking;
  if (!tracking.on || tracking.bcast) return;
  if (!(tracking.optin ? tracking.caching_yes : !tracking.caching_no)) return;
  for (int position : CommandTable::key_positions(spec, argv)) {
    server.tracking().remember(client, argv[static_cast<size_t>(position)],
                               server.config().tracking_table_max_keys);
  }
}

void command_ran(server::Server& server, server::Client& client, const CommandSpec& spec,
                 std::span<const std::string_view> argv) {
  server::Client::Tracking& tracking = client.tracking;
  if (!tracking.on) return;
  if ((spec.flags & flag_readonly) != 0 && (spec.flags & flag_runs_script) == 0) {
    remember_read_keys(server, client, spec, argv);
  }
  // As Redis, the choice holds for one command, or for a whole MULTI ... EXEC, and CLIENT
  // subcommands (CLIENT CACHING itself) leave it.
  if (!client.in_multi && !client.in_exec && spec.name.rfind("client|", 0) != 0) {
    tracking.caching_yes = false;
    tracking.caching_no = false;
  }
}

}  // namespace ringcache::commands
