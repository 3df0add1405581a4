// node::Node, the real cache node, on a simulated host.

#include <memory>

#include "core/node/node.h"
#include "runtime/sim/cluster/sim_node.h"

namespace ringcache::sim {
namespace {

class RingcacheNode final : public SimNode {
 public:
  RingcacheNode(Runtime& runtime, server::Config config) : node_(runtime, std::move(config)) {}

  Status start() override { return node_.start(); }
  uint64_t used_memory() override { return node_.server().keyspace().used_memory(); }
  uint64_t maxmemory() override { return node_.server().config().eviction.maxmemory_bytes; }
  uint64_t keys() override { return node_.server().keyspace().size(); }

 private:
  node::Node node_;
};

}  // namespace

NodeFactory ringcache_node_factory() {
  return [](Runtime& runtime, const NodeOptions& options) -> Result<std::unique_ptr<SimNode>> {
    server::Config config;
    for (const auto& [name, value] : options) {
      if (Status status = config.set(name, value); !status) return status;
    }
    return std::unique_ptr<SimNode>(std::make_unique<RingcacheNode>(runtime, std::move(config)));
  };
}

}  // namespace ringcache::sim
