#include "core/replication/replication.h"

#include <fmt/format.h>

#include <chrono>
#include <vector>

#include "core/constants.h"

namespace ringcache::replication {
namespace {

using std::chrono::seconds;

// The PING a primary puts in the stream when idle, so replicas can tell a quiet link from a dead
// one (Redis' repl-ping-replica-period).
constexpr std::string_view stream_ping = "*1\r\n$4\r\nPING\r\n";

// ROLE's word for the link, as Redis names its replica states.
const char* role_link_name(LinkState link) {
  switch (link) {
    case LinkState::connect:
      return "connect";
    case LinkState::connecting:
      return "connecting";
    case LinkState::handshake:
      return "handshake";
    case LinkState::syncing:
      return "sync";
    case LinkState::connected:
      return "connected";
  }
  return "connect";
}

}  // namespace

Replication::Replication(server::Server& server)
    : server_(server),
      runtime_(server.runtime()),
      source_(server.runtime()),
      follow_changed_(server.runtime().make_wait_queue()),
      last_ping_(server.runtime().now()) {
  // The node's first history is named by the id INFO showed before replication existed.
  ids_.id = server.replication_id();
  server_.set_replication(this);
  const server::ReplicationOptions& options = server_.config().replication;
  if (!options.replicaof_host.empty()) {
    become_replica(options.replicaof_host, options.replicaof_port);
  }
}

Replication::~Replication() {
  server_.remove_propagation_sink(&source_);
  server_.set_replication(nullptr);
}

size_t Replication::backlog_capacity() const {
  return static_cast<size_t>(server_.config().replication.backlog_size_bytes);
}

void Replication::ensure_backlog() {
  if (source_.backlog() == nullptr) source_.create_backlog(backlog_capacity());
  source_.backlog()->resize(backlog_capacity());  // repl-backlog-size may have changed
  // A sink only on a primary, once a backlog exists: before that, writes pay nothing for
  // replication, and a replica's stream is its primary's bytes (the link appends them).
  server_.remove_propagation_sink(&source_);
  if (!replica_) server_.add_propagation_sink(&source_);
}

size_t Replication::good_replicas() const {
  const int64_t lag = server_.config().replication.min_replicas_max_lag_seconds;
  return source_.good(runtime_.now(), seconds(lag));
}

void Replication::apply_expiry_mode() {
  server_.keyspace().set_expiry_mode(replica_ ? store::ExpiryMode::hide_expired
                                              : store::ExpiryMode::delete_expired);
}

void Replication::become_replica(std::string host, uint16_t port) {
  uint64_t generation = 0;
  if (replica_) {
    generation = replica_->generation;
    if (replica_->close_link) replica_->close_link();
  }
  replica_.emplace();
  replica_->primary_host = std::move(host);
  replica_->primary_port = port;
  replica_->generation = generation + 1;
  replica_->down_since = runtime_.now();
  server_.remove_propagation_sink(&source_);
  apply_expiry_mode();
  follow_changed_->notify_all();
}

void Replication::disconnect_replicas() {
  // Their history ends here: they reconnect and are told what this node has become.
  std::vector<uint64_t> ids;
  for (const auto& [id, replica] : source_.replicas()) ids.push_back(id);
  for (const uint64_t id : ids) {
    const auto client = server_.clients().find(id);
    if (client != server_.clients().end() && client->second->kill) client->second->kill();
  }
}

Result<std::string> Replication::follow(std::string host, uint16_t port) {
  if (replica_ && replica_->primary_host == host && replica_->primary_port == port) {
    return std::string("OK Already connected to specified master");
  }
  if (!replica_) disconnect_replicas();
  runtime_.log(LogLevel::notice, fmt::format("Connecting to MASTER {}:{}", host, port));
  become_replica(std::move(host), port);
  return std::string("OK");
}

void Replication::stop_following() {
  if (!replica_) return;
  if (replica_->close_link) replica_->close_link();
  replica_.reset();
  // A new history continues the one followed so far: the other replicas of the old primary can
  // resume from this node with a partial resync (decide_psync accepts the second id).
  ids_.shift(new_replication_id(runtime_.rng()), source_.offset());
  ensure_backlog();
  apply_expiry_mode();
  follow_changed_->notify_all();
  runtime_.log(LogLevel::notice,
               fmt::format("MASTER MODE enabled (new replication id {}, second id {} up to {})",
                           ids_.id, ids_.id2, ids_.second_offset));
}

void Replication::abandon_history() {
  stop_following();
  disconnect_replicas();
  ids_ = ReplicationIds{new_replication_id(runtime_.rng())};
  runtime_.log(LogLevel::notice,
               fmt::format("Replication history abandoned with the data: new replication id {}",
                           ids_.id));
}

void Replication::replica_acked(uint64_t client_id, uint64_t offset) {
  ReplicaInfo* replica = source_.find_replica(client_id);
  if (replica == nullptr) return;
  replica->ack_offset = std::max(replica->ack_offset, offset);
  replica->last_ack = runtime_.now();
  if (ack_watchers_.empty()) return;
  const std::vector<uint64_t> watchers(ack_watchers_.begin(), ack_watchers_.end());
  for (const uint64_t id : watchers) server_.blocked_clients().wake(id);
}

PsyncDecision Replication::decide_psync(std::string_view replid, int64_t offset) {
  server::ServerStats& stats = server_.stats();
  PsyncDecision decision = replication::decide_psync(ids_, source_.backlog(), replid, offset);
  if (decision.partial) {
    ++stats.sync_partial_ok;
  } else {
    if (replid != "?") ++stats.sync_partial_err;
    ++stats.sync_full;
  }
  return decision;
}

void Replication::synced(std::string replid, uint64_t offset) {
  ids_.id = std::move(replid);
  ids_.clear_second();
  source_.restart_at(offset, backlog_capacity());
  ensure_backlog();
  history_known_ = true;
}

void Replication::resume_from(const ResumePoint& point) {
  ids_.id = point.replid;
  ids_.clear_second();
  source_.restart_at(point.offset, backlog_capacity());
  ensure_backlog();
  history_known_ = true;
}

void Replication::continued(std::string_view new_replid) {
  ensure_backlog();
  history_known_ = true;
  if (new_replid.empty() || new_replid == ids_.id) return;
  ids_.shift(std::string(new_replid), source_.offset());
}

std::string Replication::psync_replid() const { return ids_.id; }

int64_t Replication::psync_offset() const { return static_cast<int64_t>(source_.offset()) + 1; }

void Replication::tick() {
  drive_failover();
  const Instant now = runtime_.now();
  const server::ReplicationOptions& options = server_.config().replication;
  if (replica_ || source_.backlog() == nullptr) return;
  if (!source_.replicas().empty() &&
      now - last_ping_ >= seconds(options.ping_replica_period_seconds)) {
    last_ping_ = now;
    source_.append(stream_ping);
  }
  const auto alone = source_.alone_since();
  if (alone && options.backlog_ttl_seconds > 0 &&
      now - *alone >= seconds(options.backlog_ttl_seconds)) {
    runtime_.log(LogLevel::notice,
                 "Replication backlog freed after repl-backlog-ttl without "
                 "replicas");
    server_.remove_propagation_sink(&source_);
    source_.free_backlog();
  }
}

void Replication::write_role(protocol::ReplyWriter& reply) const {
  if (replica_) {
    reply.array(5);
    reply.bulk("slave");
    reply.bulk(replica_->primary_host);
    reply.integer(replica_->primary_port);
    reply.bulk(role_link_name(replica_->link));
    reply.integer(replica_->link == LinkState::connected ? static_cast<int64_t>(offset()) : -1);
    return;
  }
  reply.array(3);
  reply.bulk("master");
  reply.integer(static_cast<int64_t>(offset()));
  std::vector<const ReplicaInfo*> online;
  for (const auto& [id, replica] : source_.replicas()) {
    if (replica.state == ReplicaInfo::State::online) online.push_back(&replica);
  }
  reply.array(online.size());
  for (const ReplicaInfo* replica : online) {
    reply.array(3);
    reply.bulk(replica->ip);
    reply.bulk(std::to_string(replica->listening_port));
    reply.bulk(std::to_string(replica->ack_offset));
  }
}

}  // namespace ringcache::replication
