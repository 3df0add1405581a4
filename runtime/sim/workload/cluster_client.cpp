// Workload's cluster mode: how a simulated client routes an operation by slot and follows the
// cluster's redirects, as a Redis Cluster client library does (workload.h says what it does).

#include <fmt/format.h>

#include "core/cluster/key_slot.h"
#include "runtime/sim/simulation.h"
#include "runtime/sim/workload/workload_client.h"

namespace ringcache::sim {
namespace {

const std::string& cluster_slots_request() {
  static const std::string request = encode_command(std::vector<std::string>{"CLUSTER", "SLOTS"});
  return request;
}

const std::string& asking_request() {
  static const std::string request = encode_command(std::vector<std::string>{"ASKING"});
  return request;
}

}  // namespace

void Workload::refresh_slot_map(Client& client) {
  const int64_t now = sim_.world().now_ns();
  if (!client.slots_stale || now < client.next_refresh_ns) return;
  client.next_refresh_ns = now + options_.map_refresh_interval_ns;
  // Its home node first, then the others in turn from a seeded start: any node answers.
  const int nodes = static_cast<int>(targets_.size());
  const int start = static_cast<int>(client.rng.below(static_cast<uint64_t>(nodes)));
  for (int tried = 0; tried < nodes; ++tried) {
    const int node = tried == 0 ? client.target.node : (start + tried) % nodes;
    if (!connect(client, node)) continue;
    auto reply = call(client, node, cluster_slots_request());
    if (reply && client.slots->learn_cluster_slots(*reply)) {
      client.slots_stale = false;
      return;
    }
    if (reply) return;  // an error (no cluster yet): keep what the redirects teach
  }
}

std::optional<RespValue> Workload::cluster_call(Client& client, Op& op) {
  const cluster::Slot slot = cluster::key_slot(op.key);
  const int nodes = static_cast<int>(targets_.size());
  std::optional<int> ask_node;
  bool asked = false;
  int ask_from = -1;
  RespValue last = RespValue::error("ERR sim client: no node reachable");
  for (op.redirects = 0; op.redirects <= options_.redirects_max; ++op.redirects) {
    std::optional<int> believed = client.slots->owner(slot);
    const int node = ask_node   ? *ask_node
                     : believed ? *believed
                                : static_cast<int>(client.rng.below(static_cast<uint64_t>(nodes)));
    op.node = node;
    op.asked_by = ask_node ? ask_from : -1;
    if (!connect(client, node)) {  // nothing was sent: safe to try again
      client.slots->forget(slot);
      client.slots_stale = true;
      ask_node.reset();
      client.runtime->sleep_for(Nanos(options_.cluster_retry_backoff_ns));
      continue;
    }
    std::string request = request_for(op);
    if (ask_node) request = asking_request() + request;
    auto reply = call(client, node, request, ask_node ? 2 : 1);
    ask_node.reset();
    if (!reply) {  // may have taken effect: the application sees a timeout
      client.slots_stale = true;
      return reply;
    }
    if (!reply->is_error()) return reply;
    const std::optional<ClusterRedirect> redirect = parse_redirect(reply->text);
    if (!redirect) return reply;
    last = std::move(*reply);
    switch (redirect->kind) {
      case ClusterRedirect::Kind::moved:
        if (auto owner = client.slots->node_at(redirect->address)) {
          client.slots->set_owner(redirect->slot, *owner);
        } else {
          client.slots->forget(redirect->slot);
        }
        client.slots_stale = true;
        break;
      case ClusterRedirect::Kind::ask:
        if (asked) return last;  // one ASK per operation, as clients follow it
        asked = true;
        ask_from = node;
        ask_node = client.slots->node_at(redirect->address);
        if (!ask_node) return last;
        break;
      case ClusterRedirect::Kind::retry:
        client.slots_stale = true;
        client.runtime->sleep_for(Nanos(options_.cluster_retry_backoff_ns));
        break;
    }
  }
  op.redirects = options_.redirects_max;
  return last;
}

}  // namespace ringcache::sim
