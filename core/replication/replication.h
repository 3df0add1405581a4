#pragma once
// Replication of one node outside cluster mode: its role (primary, or replica of host:port), its
// stream (StreamSource: backlog, offsets, replicas), its history ids (ReplicationIds) and, while
// it follows a primary, the link's state (ReplicaState). Commands reach it through
// server::ReplicationControl; the node's fibers (core/node/replica_link.cpp, replica_feed.cpp)
// drive the connections and call the methods below. docs/replication.md tells the whole story.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/replication/replica_state.h"
#include "core/replication/replication_ids.h"
#include "core/replication/resume_point.h"
#include "core/replication/stream_source.h"
#include "core/server/replication_control.h"
#include "core/server/server.h"

namespace ringcache::replication {

class Replication final : public server::ReplicationControl {
 public:
  // Registers itself with `server` (set_replication); reads replicaof from its config.
  explicit Replication(server::Server& server);
  ~Replication() override;
  Replication(const Replication&) = delete;
  Replication& operator=(const Replication&) = delete;

  // --- server::ReplicationControl ---
  bool is_replica() const override { return replica_.has_value(); }
  bool link_up() const override {
    return replica_.has_value() && replica_->link == LinkState::connected;
  }
  uint64_t offset() const override { return source_.offset(); }
  size_t replicas_acked(uint64_t offset) const override { return source_.acked(offset); }
  size_t good_replicas() const override;
  Result<std::string> follow(std::string host, uint16_t port) override;
  void stop_following() override;
  void replica_acked(uint64_t client_id, uint64_t offset) override;
  void watch_acks(uint64_t client_id) override { ack_watchers_.insert(client_id); }
  void unwatch_acks(uint64_t client_id) override { ack_watchers_.erase(client_id); }
  Status start_failover(const server::FailoverRequest& request) override;
  Status abort_failover() override;
  const std::string& history_id() const override { return ids_.id; }
  void write_role(protocol::ReplyWriter& reply) const override;
  std::vector<std::pair<std::string, std::string>> info_fields() const override;

  // --- for the node's fibers ---
  server::Server& server() { return server_; }
  StreamSource& source() { return source_; }
  const ReplicationIds& ids() const { return ids_; }
  // Engaged while this node follows a primary.
  std::optional<ReplicaState>& replica() { return replica_; }
  // Woken when REPLICAOF changes whom the node follows (the link fiber waits on it).
  WaitQueue& follow_changed() { return *follow_changed_; }

  // Primary side. What to answer a PSYNC (and the sync counters it moves).
  PsyncDecision decide_psync(std::string_view replid, int64_t offset);
  // Creates the backlog if there is none (a replica is about to follow the stream).
  void ensure_backlog();
  // Replica side. The link took a full sync of `replid` at `offset`: the keyspace is the
  // primary's at that offset, and the stream continues from there.
  void synced(std::string replid, uint64_t offset);
  // The link resumed (+CONTINUE); `new_replid` non-empty when the primary's history changed (it
  // was promoted): the old id becomes the second one.
  void continued(std::string_view new_replid);
  // A replica restarted on its AOF after a clean shutdown: its data is `point`'s history up to
  // its offset, so its first PSYNC can resume there.
  void resume_from(const ResumePoint& point);
  // Whether this node's data is known to be its history's up to offset() (a sync, a resume, or
  // its own writes as a primary): only then is a resume point worth saving.
  bool history_known() const { return history_known_; }
  // What the replica reports as its offset, and asks to resume from (+1), in its PSYNC.
  std::string psync_replid() const;
  int64_t psync_offset() const;

  // Called by the cron: the primary's PING in the stream, the backlog's time to live, and the
  // steps of a FAILOVER.
  void tick();
  // FAILOVER's progress (INFO's master_failover_state). While `handing_over`, this node follows
  // the target and its link asks it to take over (PSYNC ... FAILOVER); the link reports how
  // that went with failover_answered().
  enum class FailoverState { none, waiting_for_sync, handing_over };
  FailoverState failover_state() const { return failover_.state; }
  void failover_answered(bool accepted);
  // The cluster gave up on this node's copy: it is about to drop its keys outside the stream
  // (removed from the configuration), or it is a replica declared failed whose acknowledgements
  // WAIT must no longer count. Nobody may follow it into a wipe (a replica about to be promoted
  // would lose what it acknowledged) nor resume from it afterwards: it stops following, cuts its
  // replicas off, and starts a new history with no second id, so the next sync is a full one.
  void abandon_history();

 private:
  void become_replica(std::string host, uint16_t port);
  // FAILOVER steps (failover.cpp).
  void drive_failover();
  void hand_over_to(const ReplicaInfo& target);
  void end_failover(std::string_view why);
  const ReplicaInfo* failover_target(bool synced_only) const;
  void disconnect_replicas();
  void apply_expiry_mode();
  size_t backlog_capacity() const;

  server::Server& server_;
  Runtime& runtime_;
  StreamSource source_;
  ReplicationIds ids_;
  std::optional<ReplicaState> replica_;
  std::unique_ptr<WaitQueue> follow_changed_;
  std::set<uint64_t> ack_watchers_;
  Instant last_ping_;
  bool history_known_ = false;
  struct Failover {
    FailoverState state = FailoverState::none;
    server::FailoverRequest request;
    std::optional<Instant> deadline;
  };
  Failover failover_;
};

}  // namespace ringcache::replication
