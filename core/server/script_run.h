#pragma once
// The script the node is running (EVAL, FCALL), while it runs. A script is atomic: no other
// client's command runs in between, except that once it has run past busy-reply-threshold the
// node serves other clients again, answering -BUSY to all but the few commands flagged
// allow_busy (SCRIPT KILL, FUNCTION KILL, SHUTDOWN NOSAVE ...), as Redis does.

#include <cstdint>
#include <string>
#include <vector>

#include "core/runtime.h"

namespace ringcache::server {

struct Client;

struct ScriptRun {
  const Client* script_client = nullptr;  // the client its redis.call commands run as
  const Client* caller = nullptr;         // the client that sent EVAL or FCALL
  Instant started{};
  std::string name;                  // the function's name (FUNCTION STATS)
  std::vector<std::string> command;  // the FCALL as sent (FUNCTION STATS)
  bool function = false;        // FCALL (FUNCTION KILL stops it) rather than EVAL (SCRIPT KILL)
  bool timed_out = false;       // past busy-reply-threshold: other clients get -BUSY
  bool kill_requested = false;  // SCRIPT KILL / FUNCTION KILL: the script ends at its next check
  bool wrote = false;           // it has written: killing it would leave half its effects
  bool read = false;            // it has run a read-only command: its caller tracks its keys
  // Cluster mode: the slot its commands' keys must hash to (-1: none yet; its declared keys',
  // else its first key's), unless it may cross slots (an EVAL without a shebang, or the
  // allow-cross-slot-keys flag).
  int32_t slot = -1;
  bool cross_slot_allowed = false;
};

// What the scripting commands keep per node (the interpreter, the loaded scripts and
// functions). The server owns it without knowing what it is.
class ScriptingState {
 public:
  virtual ~ScriptingState() = default;
  // The commands that recreate what must survive a restart (FUNCTION LOAD of each library), for
  // the snapshots a node writes of itself (the AOF rewrite, a replica's full sync).
  virtual std::vector<std::vector<std::string>> snapshot_commands() const { return {}; }
};

}  // namespace ringcache::server
