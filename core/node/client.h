#pragma once
// What the node knows about one client connection (CLIENT LIST/INFO, HELLO, AUTH, limits).

#include <cstdint>
#include <functional>
#include <string>

#include "core/runtime.h"

namespace ringcache::node {

struct Client {
  uint64_t id = 0;
  std::string name;           // CLIENT SETNAME
  std::string address;        // peer "ip:port"
  std::string local_address;  // "ip:port"
  int resp_version = 2;       // HELLO
  bool authenticated = false; // AUTH / requirepass
  int db = 0;                 // SELECT: only 0 exists
  int64_t created_ms = 0;     // wall clock, for CLIENT LIST age
  Instant last_interaction{}; // monotonic, for idle and `timeout`
  std::string last_command;   // lower-case name, for CLIENT LIST cmd=
  size_t query_buffer_bytes = 0;
  size_t output_buffer_bytes = 0;
  // Set by QUIT, CLIENT KILL and protocol errors: reply, flush, then close.
  bool close_after_reply = false;
  // The AOF loader's own client: it runs while the node is loading (no -LOADING for it).
  bool aof_loader = false;
  // Closes the connection now (CLIENT KILL from another client). Set by the connection.
  std::function<void()> kill;
  // True while EXEC runs this client's queued commands (each through the normal dispatch).
  // Blocking commands check it and answer at once as if their timeout had passed, as Redis does
  // inside MULTI; the AOF can check it to wrap the transaction's writes in MULTI/EXEC. Dispatch
  // serves clients blocked on keys only once the whole EXEC is over (blocking.h).
  bool in_exec = false;
  // Set by the connection: called when this client's command is about to block, so the
  // connection keeps watching its socket (a disconnect must end the wait). May be empty.
  std::function<void()> on_block;
};

}  // namespace ringcache::node
