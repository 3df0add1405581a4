#include "runtime/sim/cluster/sim_node.h"

namespace ringcache::sim {

NodeFactory toy_node_factory();
NodeFactory ringcache_node_factory();

NodeFactory node_factory(const std::string& kind) {
  if (kind == "toy") return toy_node_factory();
  if (kind == "ringcache") return ringcache_node_factory();
  return nullptr;
}

std::vector<std::string> node_kinds() {
  return {"ringcache", "toy"};
}

}  // namespace ringcache::sim
