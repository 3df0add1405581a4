#pragma once
// Runs one parsed command for one client: lookup, arity, authentication, OOM refusal, statistics,
// then the family's handler. The single entry point the connection loop and the test fixture use.

#include <span>
#include <string_view>

#include "core/server/clients/client.h"
#include "core/server/server.h"
#include "core/protocol/reply_writer.h"

namespace ringcache::commands {

// The spec argv names: the command, or a container's subcommand (CONFIG GET) when it has it;
// the container itself when it does not, and nullptr for an unknown command.
const server::CommandSpec* find_spec(const server::CommandTable& table,
                                     std::span<const std::string_view> argv);
// Whether argc arguments (the name included) suit the spec's arity (negative: at least).
bool arity_ok(const server::CommandSpec& spec, size_t argc);

// Executes argv (argv[0] = command name) and writes exactly one reply (for commands that reply
// at all) to `reply`. Errors use Redis 7.0's words:
//   unknown:  "ERR unknown command 'foo', with args beginning with: 'a' 'b' "
//   arity:    "ERR wrong number of arguments for 'get' command"
//   auth:     "NOAUTH Authentication required."
//   ACL:      "NOPERM this user has no permissions to run the 'get' command" (acl_check.h)
//   memory:   "OOM command not allowed when used memory > 'maxmemory'."
//
// A command sees one keyspace time throughout, as in Redis. `time` says where it comes from:
enum class CommandTime {
  read_clock,  // execute() reads the wall clock (callers running one command at a time)
  preset,      // the caller has set it (the connection loop, once per batch of pipelined
               // commands); a handler that suspends its fiber sets it again before returning
};
void execute(server::Server& server, server::Client& client, std::span<const std::string_view> argv,
             protocol::ReplyWriter& reply, CommandTime time = CommandTime::read_clock);
// execute() with CommandTime::preset as a plain function: what the AOF loader replays through
// (persistence::RunCommand).
void execute_preset(server::Server& server, server::Client& client,
                    std::span<const std::string_view> argv, protocol::ReplyWriter& reply);

}  // namespace ringcache::commands
