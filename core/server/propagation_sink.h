#pragma once
// Where propagated writes go: the AOF today, replicas later. Dispatch hands every write that
// changed the dataset to Server::propagate, which passes it, as one unit, to each registered sink.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ringcache::server {

using ArgvView = std::span<const std::string_view>;

class PropagationSink {
 public:
  virtual ~PropagationSink() = default;
  // One unit of change, to be applied atomically: a single command, or several wrapped in
  // MULTI ... EXEC (the first and last commands of `unit` then). Never suspends; the views are
  // valid during the call only.
  virtual void propagate(std::span<const ArgvView> unit) = 0;
  // Suspending. Called before a connection sends replies: returns once replies to the commands
  // propagated so far may leave the node (appendfsync always: they are on disk).
  virtual void before_reply() {}
  // Why write commands must be refused now (a failing disk), in the words that follow
  // "MISCONF "; nullopt when writes are fine.
  virtual std::optional<std::string> write_refusal() const { return std::nullopt; }
};

}  // namespace ringcache::server
