#pragma once
// What every blocking command (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX,
// BZMPOP) shares around server::BlockedClients: the timeout argument and the wait itself.
//
// A blocking handler: parses its arguments (timeout included), tries to serve itself at once;
// if nothing is there and may_block(ctx), calls block_on_keys with a serve function that does
// the same work for a key made ready by another client and returns ServeResult::served once it
// replied; if it may not block (MULTI), it replies null as on timeout.
// The serve function runs on the writing client's fiber but writes to ctx.reply (the blocked
// client's), so it must use only ctx and what it captured.

#include <initializer_list>
#include <optional>
#include <span>
#include <string_view>

#include "core/commands/command.h"
#include "core/server/clients/blocking.h"
#include "core/runtime.h"

namespace ringcache::commands {

// A timeout argument as Redis 7.0 reads it (seconds, a float): the deadline on the monotonic
// clock, nullopt for 0 (forever). Replies "ERR timeout is not a float or out of range" or
// "ERR timeout is negative" and returns false on bad input.
bool block_deadline_or_reply(CommandContext& ctx, std::string_view text,
                             std::optional<Instant>& deadline);

// False inside MULTI/EXEC and scripts (Client::in_exec): the command must answer at once.
bool may_block(const CommandContext& ctx);
// Whether the command runs for a script (redis.call), as the node's script client.
bool runs_for_script(const CommandContext& ctx);

// Parks the client until `serve` served it on one of `keys` or the wait ended; replies for
// every ending but `served` as Redis does (timeout and CLIENT UNBLOCK TIMEOUT: null array;
// CLIENT UNBLOCK ERROR: -UNBLOCKED; disconnect: nothing). The keyspace time is the present
// again when it returns.
void block_on_keys(CommandContext& ctx, std::span<const std::string_view> keys,
                   std::optional<Instant> deadline, server::ServeFunction serve);

// Called first by a serve function that found what it waits for: a served waiter's work is
// propagated apart from the command that made its key ready, and the `keys` it writes pass the
// AOF rewrite's before-write hook first, as dispatch does for commands.
void begin_served_unit(CommandContext& ctx, std::initializer_list<std::string_view> keys);

}  // namespace ringcache::commands
