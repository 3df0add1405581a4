#pragma once
// The function engine (FUNCTION LOAD, FCALL): libraries of named Lua functions, in an
// interpreter of their own. Loading a library runs its code once with a `redis` table that holds
// only register_function, log and the version fields (every other global is missing then); the
// functions it registers later run with the full `redis` table (no register_function).
// Library and function names are case-insensitive, as in Redis.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol/ascii.h"
#include "core/protocol/reply_writer.h"
#include "core/scripting/host.h"
#include "core/scripting/interpreter.h"
#include "core/util/status.h"

namespace ringcache::scripting {

struct FunctionInfo {
  std::string name;
  std::optional<std::string> description;
  uint32_t flags = 0;  // ScriptFlag
  std::string library;
};

struct Library {
  std::string name;
  std::string code;
  std::vector<std::string> functions;  // names, sorted
};

class FunctionEngine {
 public:
  FunctionEngine(uint64_t seed, size_t heap_limit_bytes);

  // FUNCTION LOAD [REPLACE]: the library's name, or Redis' error text. `loading` is the host
  // for the library's code (its interrupted() enforces the load time limit). A failed load
  // leaves every library as it was.
  Result<std::string> load(std::string_view code, bool replace, Host& loading);
  // FUNCTION DELETE: false when there is no such library.
  bool remove(std::string_view library);
  void flush();

  const FunctionInfo* function(std::string_view name) const;
  const Library* library(std::string_view name) const;
  // Libraries by name (FUNCTION LIST, DUMP, the AOF rewrite).
  std::vector<const Library*> libraries() const;
  size_t function_count() const { return functions_.size(); }
  size_t library_count() const { return libraries_.size(); }
  size_t heap_bytes() const { return interpreter_.heap_bytes(); }

  // Calls `function` with KEYS and ARGV as its two arguments.
  void call(const FunctionInfo& function, std::span<const std::string_view> keys,
            std::span<const std::string_view> args, Host& host, protocol::ReplyWriter& reply);

 private:
  // The registrations of the library being loaded (redis.register_function fills it).
  struct Pending {
    std::vector<FunctionInfo> functions;
  };
  friend int register_function(lua_State* L);

  Result<std::vector<FunctionInfo>> run_library_code(std::string_view code, std::string_view name,
                                                     Host& loading);
  void drop_library(const std::string& name);

  Interpreter interpreter_;
  Pending* pending_ = nullptr;
  std::map<std::string, Library, protocol::CaseInsensitiveLess> libraries_;
  std::map<std::string, FunctionInfo, protocol::CaseInsensitiveLess> functions_;
};

}  // namespace ringcache::scripting
