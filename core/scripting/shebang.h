#pragma once
// The first line of a script or library, "#!lua flags=no-writes,allow-stale" (EVAL, Redis 7.0)
// or "#!lua name=mylib" (FUNCTION LOAD): the engine, its options, the script flags.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/util/status.h"

namespace ringcache::scripting {

// Script flags, as Redis 7.0 names them.
enum ScriptFlag : uint32_t {
  script_no_writes = 1u << 0,              // "no-writes"
  script_allow_oom = 1u << 1,              // "allow-oom"
  script_allow_stale = 1u << 2,            // "allow-stale"
  script_no_cluster = 1u << 3,             // "no-cluster"
  script_allow_cross_slot_keys = 1u << 4,  // "allow-cross-slot-keys"
};

// The flag for `name`, or 0 when there is none by that name.
uint32_t script_flag_named(std::string_view name);

struct Shebang {
  bool present = false;  // false: a script without one (EVAL's legacy behaviour)
  uint32_t flags = 0;
  std::string library_name;  // name=... (functions only)
  size_t line_bytes = 0;     // the length of the first line, newline excluded
};

// Parses the shebang of `body`. `allow_name` (libraries) accepts name=; EVAL accepts flags= only.
// Errors in Redis' words: "Unexpected engine in script shebang: ...", "Unknown lua shebang
// option: ...", "Unexpected flag in script shebang: ...".
Result<Shebang> parse_shebang(std::string_view body, bool allow_name);

}  // namespace ringcache::scripting
