#pragma once
// Cluster mode's check before a command with keys runs (Redis Cluster's redirections): every key
// must hash to one slot (-CROSSSLOT), the slot must be this node's (-MOVED slot ip:port to its
// owner), and this node must still be in contact with a majority (-CLUSTERDOWN). Inside MULTI a
// queued command that would be redirected fails the transaction (EXECABORT), and EXEC refuses a
// transaction whose commands name more than one slot, as Redis does.

#include <span>
#include <string_view>

#include "core/commands/command.h"
#include "core/server/clients/client.h"
#include "core/server/server.h"

namespace ringcache::commands {

// True when the command may run on this node; otherwise the error was replied (and counted as
// a refusal). Only called in cluster mode.
bool cluster_admits(server::Server& server, server::Client& client, const CommandSpec& spec,
                    std::span<const std::string_view> argv, protocol::ReplyWriter& reply);

// Monotonic milliseconds, the clock of the membership engine.
int64_t cluster_now_ms(server::Server& server);

}  // namespace ringcache::commands
