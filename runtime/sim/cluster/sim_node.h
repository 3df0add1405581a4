#pragma once
// What the simulator needs from a cache node running on a simulated host: start it, and read
// the final state checkers look at. The real node::Node is plugged in through this interface
// (ringcache_node.cpp); a tiny built-in server (toy_node.cpp) lets the simulator test itself.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/runtime.h"

namespace ringcache::sim {

// redis.conf options as (name, value) pairs, in the order given.
using NodeOptions = std::vector<std::pair<std::string, std::string>>;

class SimNode {
 public:
  virtual ~SimNode() = default;
  // Starts listening on bind:port and the node's fibers. Runs in a fiber of the node.
  virtual Status start() = 0;
  // Bytes the keyspace accounts for, and the configured limit (0: none).
  virtual uint64_t used_memory() = 0;
  virtual uint64_t maxmemory() = 0;
  virtual uint64_t keys() = 0;
};

using NodeFactory =
    std::function<Result<std::unique_ptr<SimNode>>(Runtime& runtime, const NodeOptions& options)>;

// "ringcache" (node::Node, when it is built) or "toy"; nullptr for an unknown kind.
NodeFactory node_factory(const std::string& kind);
// Kinds available in this build, for error messages.
std::vector<std::string> node_kinds();

}  // namespace ringcache::sim
