#pragma once
// The replica's fibers: the link to the primary (connect, handshake, full or partial sync, then
// apply the stream), an acknowledger per link (REPLCONF ACK every second and after writes, and
// the repl-timeout watch). A replica restarted after a clean shutdown resumes where its AOF ends
// (replication/resume_point.h).

#include "core/node/node_state.h"

namespace ringcache::node {

// The link fiber's body: follows whatever REPLICAOF says until the node shuts down.
void run_replica_link(NodeState& node);

}  // namespace ringcache::node
