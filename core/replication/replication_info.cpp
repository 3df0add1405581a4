// INFO replication: Redis' fields, in Redis' order, for a primary and for a replica.

#include <fmt/format.h>

#include <chrono>

#include "core/replication/replication.h"

namespace ringcache::replication {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

int64_t seconds_between(Instant later, Instant earlier) {
  return std::chrono::duration_cast<std::chrono::seconds>(later - earlier).count();
}

const char* state_name(ReplicaInfo::State state) {
  switch (state) {
    case ReplicaInfo::State::wait_snapshot:
      return "wait_bgsave";
    case ReplicaInfo::State::send_snapshot:
      return "send_bulk";
    case ReplicaInfo::State::online:
      return "online";
  }
  return "online";
}

const char* failover_state_name(Replication::FailoverState state) {
  switch (state) {
    case Replication::FailoverState::none:
      return "no-failover";
    case Replication::FailoverState::waiting_for_sync:
      return "waiting-for-sync";
    case Replication::FailoverState::handing_over:
      return "failover-in-progress";
  }
  return "no-failover";
}

void add(Fields& fields, std::string name, auto value) {
  fields.emplace_back(std::move(name), fmt::format("{}", value));
}

}  // namespace

std::vector<std::pair<std::string, std::string>> Replication::info_fields() const {
  Fields fields;
  const Instant now = runtime_.now();
  add(fields, "role", replica_ ? "slave" : "master");
  if (replica_) {
    const bool up = replica_->link == LinkState::connected;
    add(fields, "master_host", replica_->primary_host);
    add(fields, "master_port", replica_->primary_port);
    add(fields, "master_link_status", up ? "up" : "down");
    add(fields, "master_last_io_seconds_ago",
        replica_->link <= LinkState::connecting ? -1 : seconds_between(now, replica_->last_io));
    add(fields, "master_sync_in_progress", replica_->link == LinkState::syncing ? 1 : 0);
    add(fields, "slave_read_repl_offset", offset());
    add(fields, "slave_repl_offset", offset());
    if (replica_->link == LinkState::syncing) {
      add(fields, "master_sync_read_bytes", replica_->snapshot_bytes);
    }
    if (!up && replica_->down_since) {
      add(fields, "master_link_down_since_seconds", seconds_between(now, *replica_->down_since));
    }
    add(fields, "slave_priority", 100);
    add(fields, "slave_read_only", server_.config().replication.replica_read_only ? 1 : 0);
    add(fields, "replica_announced", 1);
  }
  add(fields, "connected_slaves", source_.replicas().size());
  if (!replica_ && server_.config().replication.min_replicas_to_write > 0) {
    add(fields, "min_slaves_good_slaves", good_replicas());
  }
  size_t index = 0;
  for (const auto& [id, replica] : source_.replicas()) {
    add(fields, fmt::format("slave{}", index++),
        fmt::format("ip={},port={},state={},offset={},lag={}", replica.ip, replica.listening_port,
                    state_name(replica.state), replica.ack_offset,
                    seconds_between(now, replica.last_ack)));
  }
  add(fields, "master_failover_state", failover_state_name(failover_.state));
  add(fields, "master_replid", ids_.id);
  add(fields, "master_replid2", ids_.id2);
  add(fields, "master_repl_offset", offset());
  add(fields, "second_repl_offset", ids_.second_offset);
  const Backlog* backlog = source_.backlog();
  add(fields, "repl_backlog_active", backlog != nullptr ? 1 : 0);
  add(fields, "repl_backlog_size",
      backlog != nullptr ? backlog->capacity()
                         : static_cast<size_t>(server_.config().replication.backlog_size_bytes));
  add(fields, "repl_backlog_first_byte_offset", backlog != nullptr ? backlog->first_offset() : 0);
  add(fields, "repl_backlog_histlen", backlog != nullptr ? backlog->histlen() : 0);
  return fields;
}

}  // namespace ringcache::replication
