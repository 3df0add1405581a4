#pragma once
// What a cluster-aware client believes about the cluster, and how it reads the node's answers
// about it: the owner it believes each slot has (learned from CLUSTER SLOTS and from -MOVED),
// and the redirect and retry errors (-MOVED, -ASK, -CLUSTERDOWN, -TRYAGAIN) parsed from their
// text. Node addresses are turned into node indexes with the run's address book.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/sim/workload/resp.h"

namespace ringcache::sim {

// An error reply a cluster client acts on instead of handing it to the application.
struct ClusterRedirect {
  enum class Kind { moved, ask, retry };  // retry: CLUSTERDOWN, TRYAGAIN
  Kind kind = Kind::retry;
  uint16_t slot = 0;
  std::string address;  // "ip:port" (moved, ask)
};

// The redirect an error reply asks for, or nullopt for an error the application sees.
std::optional<ClusterRedirect> parse_redirect(std::string_view error);

class SlotBelief {
 public:
  // `addresses`: "ip:port" of every node, by node index.
  explicit SlotBelief(std::vector<std::string> addresses);

  // The node believed to own `slot`, or nullopt when unknown.
  std::optional<int> owner(uint16_t slot) const;
  void set_owner(uint16_t slot, int node) { owners_[slot] = static_cast<int16_t>(node); }
  void forget(uint16_t slot) { owners_[slot] = -1; }
  // The node serving "ip:port", or nullopt for an address outside the run.
  std::optional<int> node_at(std::string_view address) const;
  // Replaces the belief by a CLUSTER SLOTS reply; false (belief unchanged) when the reply is not
  // one. Slots the reply leaves out become unknown.
  bool learn_cluster_slots(const RespValue& reply);

 private:
  std::vector<int16_t> owners_;  // by slot; -1: unknown
  std::map<std::string, int, std::less<>> nodes_;
};

}  // namespace ringcache::sim
