#include "core/commands/scripting/node_scripting.h"

#include "core/constants.h"

namespace ringcache::commands {

NodeScripting::NodeScripting(uint64_t seed)
    : engine(seed, constants::lua_heap_bytes_max),
      functions(seed + 1, constants::lua_heap_bytes_max) {
  client.authenticated = true;
  client.in_exec = true;
  client.name = "lua";
  client.address = "lua";  // MONITOR shows its commands as "[0 lua]", as Redis does
}

std::vector<std::vector<std::string>> NodeScripting::snapshot_commands() const {
  std::vector<std::vector<std::string>> commands;
  for (const scripting::Library* library : functions.libraries()) {
    commands.push_back({"FUNCTION", "LOAD", library->code});
  }
  return commands;
}

NodeScripting& node_scripting(server::Server& server) {
  std::unique_ptr<server::ScriptingState>& state = server.scripting();
  if (state == nullptr) state = std::make_unique<NodeScripting>(server.runtime().rng().next_u64());
  return static_cast<NodeScripting&>(*state);
}

}  // namespace ringcache::commands
