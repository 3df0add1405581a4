#pragma once
// What commands and dispatch see of replication (core/replication): the node's role, the stream
// offset, replicas' acknowledgements (WAIT, min-replicas-to-write), REPLICAOF, ROLE and INFO
// replication. The node registers its implementation with the Server; without one (unit tests
// of other families) the node is a primary without replicas.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/protocol/reply_writer.h"
#include "core/util/status.h"

namespace ringcache::server {

class ReplicationControl {
 public:
  virtual ~ReplicationControl() = default;

  // True while this node follows a primary (REPLICAOF host port).
  virtual bool is_replica() const = 0;
  // A replica whose link to its primary is up and past the initial sync.
  virtual bool link_up() const = 0;
  // The offset of the last byte of the stream this node produced or applied (master_repl_offset).
  virtual uint64_t offset() const = 0;
  // Replicas that acknowledged at least `offset` (WAIT).
  virtual size_t replicas_acked(uint64_t offset) const = 0;
  // Replicas online whose last acknowledgement is at most min-replicas-max-lag seconds old.
  virtual size_t good_replicas() const = 0;

  // REPLICAOF host port: follow that primary (dropping the current link). Returns the status line
  // to reply ("OK", or Redis' "OK Already connected to specified master"). Never suspends.
  virtual Result<std::string> follow(std::string host, uint16_t port) = 0;
  // REPLICAOF NO ONE: become a primary, continuing the stream under a new replication id.
  virtual void stop_following() = 0;
  // REPLCONF ACK from the replica connected as `client_id`.
  virtual void replica_acked(uint64_t client_id, uint64_t offset) = 0;
  // WAIT: `client_id` is woken (BlockedClients::wake) at each acknowledgement while watched.
  virtual void watch_acks(uint64_t client_id) = 0;
  virtual void unwatch_acks(uint64_t client_id) = 0;

  // ROLE's reply, and INFO replication's fields in Redis' order.
  virtual void write_role(protocol::ReplyWriter& reply) const = 0;
  virtual std::vector<std::pair<std::string, std::string>> info_fields() const = 0;
};

}  // namespace ringcache::server
