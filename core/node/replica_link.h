#pragma once
// The replica's fibers: the link to the primary (connect, handshake, full or partial sync, then
// apply the stream), an acknowledger per link (REPLCONF ACK every second and after writes, and
// the repl-timeout watch), and the replication tick (the primary's PINGs, the backlog's TTL).

#include "core/node/node_state.h"

namespace ringcache::node {

// The link fiber's body: follows whatever REPLICAOF says until the node shuts down.
void run_replica_link(NodeState& node);
// The tick fiber's body: Replication::tick once a second until shutdown.
void run_replication_tick(NodeState& node);

}  // namespace ringcache::node
