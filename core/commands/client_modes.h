#pragma once
// What a client's modes do to the commands it sends, checked by dispatch around every handler:
// RESP2 subscribed mode refuses all but the subscription commands, PING, QUIT and RESET; inside
// MULTI commands are queued for EXEC; a refused command makes the pending EXEC abort; a read-only
// command of a CLIENT TRACKING client has its keys remembered.

#include <span>
#include <string_view>

#include "core/commands/command.h"
#include "core/server/clients/client.h"
#include "core/server/server.h"

namespace ringcache::commands {

// After a command was refused before running (unknown, arity, NOAUTH, OOM): inside MULTI, marks
// the transaction failed, so EXEC will answer EXECABORT. refuse_command() below also replies.
inline void mark_transaction_failed(server::Client& client) {
  if (client.in_multi && !client.in_exec) client.multi_failed = true;
}

// Replies `error` to a command refused before running, and marks the transaction failed. EXEC
// itself refused ends the transaction: "EXECABORT Transaction discarded because of: <error>"
// (without the "ERR " of the error, as Redis' execCommandAbort).
void refuse_command(server::Server& server, server::Client& client, const CommandSpec& spec,
                    protocol::ReplyWriter& reply, std::string_view error);

// Returns true when the client's mode took the command instead of its handler: it was refused
// (the error replied) or queued (+QUEUED replied).
bool diverted(server::Server& server, server::Client& client, const CommandSpec& spec,
              std::span<const std::string_view> argv, protocol::ReplyWriter& reply);

// After a handler ran: client tracking remembers the keys it read, and CLIENT CACHING's one-shot
// choice is spent. A script's reads are remembered by run_script instead.
void command_ran(server::Server& server, server::Client& client, const CommandSpec& spec,
                 std::span<const std::string_view> argv);

// A default-mode tracking client remembers the keys of its command `argv`, when CLIENT CACHING
// lets it: after a read-only command, and after a script (EVAL, FCALL, their _RO forms) that ran
// one, whose keys are those the script declared, not those it read (as Redis 7.0 does).
void remember_read_keys(server::Server& server, server::Client& client, const CommandSpec& spec,
                        std::span<const std::string_view> argv);

}  // namespace ringcache::commands
