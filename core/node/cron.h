#pragma once
// The node's periodic work, hz times a second (Redis' serverCron): active expiry within a
// quarter of the period, closing idle clients, resizing query buffers, the ops/sec sample,
// replication's periodic work (the primary's PINGs, the backlog's TTL).

#include "core/node/node_state.h"

namespace ringcache::node {

// The cron fiber's body: returns once the node shuts down.
void run_cron(NodeState& node);

}  // namespace ringcache::node
