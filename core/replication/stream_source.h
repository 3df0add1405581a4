#pragma once
// The primary side of replication: the stream every replica follows, and what the primary knows
// of its replicas.
//
// The source is a propagation sink (server/propagation_sink.h), next to the AOF: each unit's
// RESP bytes, the very bytes the AOF frames as a record's payload, are appended to the
// backlog, which advances the offset. The node's feeders (one fiber
// per replica, core/node/replica_feed.cpp) copy from the backlog to their replica whenever the
// stream grows. A replica's own source is no sink: it appends its primary's bytes verbatim, so
// its offsets and backlog match its primary's byte for byte and it can serve a partial resync
// once promoted.
//
// As in Redis the offset moves only while a backlog exists: it is created with the first replica
// and freed repl-backlog-ttl after the last one left; without it the sink is not registered and
// writes pay nothing for replication.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/constants.h"
#include "core/replication/backlog.h"
#include "core/runtime.h"
#include "core/server/propagation_sink.h"

namespace ringcache::replication {

// What the primary knows of one connected replica (INFO's slaveN lines, WAIT).
struct ReplicaInfo {
  enum class State { wait_snapshot, send_snapshot, online };
  uint64_t client_id = 0;
  std::string ip;
  uint16_t listening_port = 0;
  State state = State::wait_snapshot;
  uint64_t ack_offset = 0;
  Instant last_ack{};
};

// What a replica in full sync is owed of the stream while its snapshot is being sent: every byte
// from the snapshot's offset on, kept apart from the backlog (which may wrap meanwhile), up to
// `bytes_max`: the replica class's hard client-output-buffer-limit, within
// repl_sync_buffer_bytes_max.
struct SyncBuffer {
  std::string bytes;
  bool overflowed = false;
  size_t bytes_max = constants::repl_sync_buffer_bytes_max;
};

class StreamSource final : public server::PropagationSink {
 public:
  explicit StreamSource(Runtime& runtime);

  // PropagationSink: the unit's RESP bytes onto the stream. Registered only on a primary with a
  // backlog: a replica's link appends its primary's bytes through append() instead.
  void propagate(const server::PropagatedUnit& unit) override;
  // Appends bytes already encoded (the primary's PINGs, a replica's forwarded stream). No-op
  // without a backlog.
  void append(std::string_view bytes);

  // The offset of the last byte of the stream (master_repl_offset).
  uint64_t offset() const { return backlog_ ? backlog_->end_offset() : offset_without_backlog_; }
  Backlog* backlog() { return backlog_.get(); }
  const Backlog* backlog() const { return backlog_.get(); }
  // Creates the backlog (no-op if there is one) continuing the stream at offset().
  void create_backlog(size_t capacity);
  // Frees it; the offset stays where it was.
  void free_backlog();
  // The stream restarts at `offset`, with an empty backlog (a replica after a full sync).
  void restart_at(uint64_t offset, size_t capacity);
  // Stream bytes appended from now on are also copied into `buffer` until removed.
  void add_sync_buffer(SyncBuffer* buffer) { sync_buffers_.push_back(buffer); }
  void remove_sync_buffer(SyncBuffer* buffer);
  // Woken (notify_all) whenever the stream grows: the feeders wait on it.
  WaitQueue& grown() { return *grown_; }

  // --- replicas, by client id (ordered: INFO lists them in a stable order) ---
  ReplicaInfo& add_replica(uint64_t client_id, std::string ip, uint16_t listening_port);
  void remove_replica(uint64_t client_id);
  ReplicaInfo* find_replica(uint64_t client_id);
  const std::map<uint64_t, ReplicaInfo>& replicas() const { return replicas_; }
  // Online replicas that acknowledged at least `offset`.
  size_t acked(uint64_t offset) const;
  // Online replicas whose last acknowledgement is no older than `max_lag`.
  size_t good(Instant now, Nanos max_lag) const;
  // When the last replica left (repl-backlog-ttl counts from there); nullopt while any is here.
  std::optional<Instant> alone_since() const { return alone_since_; }

 private:
  Runtime& runtime_;
  std::unique_ptr<Backlog> backlog_;
  uint64_t offset_without_backlog_ = 0;
  std::unique_ptr<WaitQueue> grown_;
  std::map<uint64_t, ReplicaInfo> replicas_;
  std::optional<Instant> alone_since_;
  std::vector<SyncBuffer*> sync_buffers_;
};

}  // namespace ringcache::replication
