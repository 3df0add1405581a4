#pragma once
// Where propagated writes go: the AOF and the replication stream. Dispatch hands every write that
// changed the dataset to Server::propagate, which passes it, as one unit, to each registered sink.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ringcache::server {

using ArgvView = std::span<const std::string_view>;

// One unit of change, to be applied atomically: a single command, or several wrapped in
// MULTI ... EXEC (the first and last commands then). `resp` is the same commands as RESP arrays
// of bulk strings, encoded once by the Server for every sink (the AOF's record payload, the
// replication stream's bytes). Both views are valid during the call only.
struct PropagatedUnit {
  std::span<const ArgvView> commands;
  std::string_view resp;
};

class PropagationSink {
 public:
  virtual ~PropagationSink() = default;
  // Never suspends.
  virtual void propagate(const PropagatedUnit& unit) = 0;
  // Suspending. Called before a connection sends replies: returns once replies to the commands
  // propagated so far may leave the node (appendfsync always: they are on disk).
  virtual void before_reply() {}
  // Why write commands must be refused now (a failing disk), in the words that follow
  // "MISCONF "; nullopt when writes are fine.
  virtual std::optional<std::string> write_refusal() const { return std::nullopt; }
};

}  // namespace ringcache::server
