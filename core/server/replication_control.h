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

// FAILOVER [TO host port [FORCE]] [TIMEOUT ms], outside cluster mode (docs/replication.md).
struct FailoverRequest {
  std::string host;  // empty: whichever replica catches up first
  uint16_t port = 0;
  bool force = false;       // at the timeout, hand over to the target even if it lags
  int64_t timeout_ms = 0;   // 0: wait for a replica as long as it takes
};

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
  // FAILOVER: pauses writes, waits for a replica to reach this primary's offset, then follows
  // it and asks it (PSYNC ... FAILOVER) to take over. Refusals in Redis' words. ABORT:
  // abort_failover.
  virtual Status start_failover(const FailoverRequest& request) = 0;
  virtual Status abort_failover() = 0;
  // The replication id of this node's history (a replica's: its primary's).
  virtual const std::string& history_id() const = 0;
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
