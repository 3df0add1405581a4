#pragma once
// The EVAL engine: an interpreter (interpreter.h) holding the scripts loaded by SCRIPT LOAD and
// EVAL, each known by the SHA-1 of its body and its shebang flags, run one at a time for a Host.

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "core/protocol/reply_writer.h"
#include "core/scripting/host.h"
#include "core/scripting/interpreter.h"
#include "core/util/status.h"

namespace ringcache::scripting {

class Engine {
 public:
  // `seed` seeds math.random (from the node's generator, so a simulation replays).
  Engine(uint64_t seed, size_t heap_limit_bytes) : interpreter_(seed, heap_limit_bytes) {}

  // Compiles `body` (once: a known body is not compiled again) and returns its SHA-1. The error
  // is Redis' reply text: "Error compiling script (new function): user_script:1: ...", or a
  // shebang error.
  Result<std::string> load(std::string_view body);
  bool has(std::string_view sha) const { return scripts_.contains(sha); }
  // A loaded script's shebang flags (ScriptFlag; 0 without a shebang), and whether it has one.
  uint32_t flags(std::string_view sha) const;
  bool has_shebang(std::string_view sha) const;
  // SCRIPT FLUSH: forgets every script and starts a fresh interpreter.
  void flush();
  size_t script_count() const { return scripts_.size(); }
  size_t heap_bytes() const { return interpreter_.heap_bytes(); }

  // Runs the loaded script `sha` with KEYS and ARGV and writes its reply (or its error).
  void run(std::string_view sha, std::span<const std::string_view> keys,
           std::span<const std::string_view> args, Host& host, protocol::ReplyWriter& reply);

 private:
  struct Script {
    uint32_t flags = 0;
    bool shebang = false;
  };

  Interpreter interpreter_;
  std::map<std::string, Script, std::less<>> scripts_;  // by SHA-1
};

// Lowercase form of the SHA-1 a client names a script by (EVALSHA accepts either case).
std::string normalized_sha(std::string_view sha);

// Pushes a table of `strings` (KEYS, ARGV).
void push_string_array(lua_State* L, std::span<const std::string_view> strings);

}  // namespace ringcache::scripting
