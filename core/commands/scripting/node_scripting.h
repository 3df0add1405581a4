#pragma once
// The scripting state of one node, kept by its Server: the EVAL engine, the function engine and
// the client that a script's redis.call commands run as.

#include <cstdint>

#include "core/scripting/engine.h"
#include "core/scripting/function_engine.h"
#include "core/server/server.h"

namespace ringcache::commands {

struct NodeScripting final : server::ScriptingState {
  explicit NodeScripting(uint64_t seed);

  // FUNCTION LOAD of every library: functions survive a restart and reach a new replica.
  std::vector<std::vector<std::string>> snapshot_commands() const override;

  scripting::Engine engine;
  scripting::FunctionEngine functions;
  // Authenticated, never listed by CLIENT LIST; in_exec, so a blocking command answers at once
  // as it does inside MULTI.
  server::Client client;
};

// The node's scripting state, created on first use (seeded from the node's generator).
NodeScripting& node_scripting(server::Server& server);

}  // namespace ringcache::commands
