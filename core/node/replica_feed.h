#pragma once
// The primary's side of one replica's connection, once the replica sent PSYNC (or SYNC): the
// answer (+CONTINUE from the backlog, or +FULLRESYNC and a snapshot), then the stream, copied
// from the backlog as it grows, until the link breaks. A helper fiber reads the replica's
// REPLCONF ACKs meanwhile. Runs on the connection's own fiber, which it keeps until the end.

#include <memory>
#include <string>

#include "core/node/node_state.h"
#include "core/server/clients/client.h"

namespace ringcache::node {

// `pending`: bytes the replica sent after PSYNC, already read from the stream. `closed` turns
// true when the connection is closed from elsewhere (CLIENT KILL, shutdown).
void serve_replica(NodeState& node, std::shared_ptr<Stream> stream, server::Client& client,
                   std::string pending, const bool& closed);

}  // namespace ringcache::node
