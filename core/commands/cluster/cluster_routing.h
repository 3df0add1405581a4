#pragma once
// Cluster mode's check before a command with keys runs (Redis Cluster's redirections): every key
// must hash to one slot (-CROSSSLOT), the slot must be this node's (-MOVED slot ip:port to its
// owner), and this node must still be in contact with a majority (-CLUSTERDOWN). Inside MULTI a
// queued command that would be redirected fails the transaction (EXECABORT), and EXEC refuses a
// transaction whose commands name more than one slot, as Redis does.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/commands/command.h"
#include "core/server/clients/client.h"
#include "core/server/server.h"

namespace ringcache::commands {

// True when the command may run on this node; otherwise the error was replied (and counted as
// a refusal). Only called in cluster mode.
bool cluster_admits(server::Server& server, server::Client& client, const CommandSpec& spec,
                    std::span<const std::string_view> argv, protocol::ReplyWriter& reply);

// Redis' check of a command a script runs in cluster mode (its caller is a client, not our
// primary's link or the AOF): every key must be served here, for the caller (a READONLY
// caller's script may read on a replica), with nothing to wait for, and, unless `run` may cross
// slots, in the script's slot (set by the first key when the script declared none). Returns the
// error, in Redis' words, or nullopt.
std::optional<std::string> script_command_refusal(server::Server& server,
                                                  const server::Client& caller,
                                                  const CommandSpec& spec,
                                                  std::span<const std::string_view> argv,
                                                  server::ScriptRun& run);
// The slot a script's declared keys hash to, for ScriptRun::slot (-1: none declared).
int32_t declared_slot(const CommandSpec& spec, std::span<const std::string_view> argv);

// Monotonic milliseconds, the clock of the membership engine.
int64_t cluster_now_ms(server::Server& server);

}  // namespace ringcache::commands
