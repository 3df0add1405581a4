#pragma once
// The Host a script runs against: its redis.call commands run through the normal dispatch as
// the node's script client, after the checks Redis makes for scripts; its time limit lets other
// clients in once passed; SCRIPT KILL stops it.

#include <exception>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/commands/command.h"
#include "core/scripting/host.h"
#include "core/server/server.h"

namespace ringcache::commands {

class ScriptCaller final : public scripting::Host {
 public:
  // `read_only`: EVAL_RO, FCALL_RO or a no-writes script; write commands are refused.
  // `ctx` is the caller's command (EVAL, FCALL, ...).
  ScriptCaller(CommandContext& ctx, server::Client& script_client, server::ScriptRun& run,
               bool read_only);

  std::string call(std::span<const std::string_view> argv, int resp_version) override;
  std::optional<bool> acl_allows(std::span<const std::string_view> argv) override;
  void log(int level, std::string_view message) override;
  bool interrupted() override;
  std::string interruption() const override;

  // Rethrows what unwound the node's fiber while the script let other clients in (the node
  // stopping): the interpreter cannot carry it through.
  void rethrow_pending() const {
    if (pending_) std::rethrow_exception(pending_);
  }

 private:
  server::Server& server_;
  CommandContext& caller_;
  server::Client& client_;
  server::ScriptRun& run_;
  bool read_only_;
  std::exception_ptr pending_;
};

// Runs `body` as the node's running script `run` (for -BUSY, SCRIPT KILL and FUNCTION STATS) with
// a ScriptCaller as its host.
void run_script(CommandContext& ctx, server::ScriptRun& run, bool read_only,
                const std::function<void(scripting::Host&)>& body);

// Redis' refusals of a script with a shebang (or a function) before it runs, from its flags: one
// that may write is refused on a read-only replica, over maxmemory (without allow-oom) and
// without enough good replicas; one without allow-stale on a replica serving no stale data.
std::optional<std::string> refusal_before_run(CommandContext& ctx, uint32_t script_flags);

// The key arguments of EVAL and FCALL: argv[3 .. 3 + numkeys).
std::vector<int> script_keys(std::span<const std::string_view> argv);

}  // namespace ringcache::commands
