#include "runtime/sim/cluster/sim_node.h"

namespace ringcache::sim {

NodeFactory toy_node_factory();
#ifdef RINGCACHE_SIM_HAVE_NODE
NodeFactory ringcache_node_factory();
#endif

NodeFactory node_factory(const std::string& kind) {
  if (kind == "toy") return toy_node_factory();
#ifdef RINGCACHE_SIM_HAVE_NODE
  if (kind == "ringcache") return ringcache_node_factory();
#endif
  return nullptr;
}

std::vector<std::string> node_kinds() {
#ifdef RINGCACHE_SIM_HAVE_NODE
  return {"ringcache", "toy"};
#else
  return {"toy"};
#endif
}

}  // namespace ringcache::sim
