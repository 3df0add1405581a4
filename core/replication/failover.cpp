// FAILOVER outside cluster mode (docs/replication.md, "FAILOVER"): the primary holds its
// clients' writes, waits until a replica (the one named, or any) has acknowledged its whole
// stream, then follows that replica and asks it, with PSYNC ... FAILOVER, to take over. The
// replica promotes itself (a new history that continues this one) and answers +CONTINUE, so
// the old primary resumes from it without a full sync; the held writes then get -READONLY.

#include <fmt/format.h>

#include <chrono>

#include "core/constants.h"
#include "core/replication/replication.h"

namespace ringcache::replication {
namespace {

Status refused(std::string_view why) { return Status(Errc::invalid_argument, std::string(why)); }

}  // namespace

Status Replication::start_failover(const server::FailoverRequest& request) {
  if (failover_.state != FailoverState::none) return refused("FAILOVER already in progress.");
  if (replica_) return refused("FAILOVER is not valid when server is a replica.");
  if (source_.replicas().empty()) return refused("FAILOVER requires connected replicas.");
  if (request.force && (request.timeout_ms == 0 || request.host.empty())) {
    return refused("FAILOVER with force option requires both a timeout and target HOST and IP.");
  }
  failover_.request = request;
  if (!request.host.empty()) {
    const ReplicaInfo* named = failover_target(/*synced_only=*/false);
    bool listed = named != nullptr;
    for (const auto& [id, replica] : source_.replicas()) {
      listed = listed || (replica.ip == request.host && replica.listening_port == request.port);
    }
    if (!listed) return refused("FAILOVER target HOST and PORT is not a replica.");
    if (named == nullptr) return refused("FAILOVER target replica is not online.");
  }
  failover_.state = FailoverState::waiting_for_sync;
  failover_.deadline.reset();
  if (request.timeout_ms > 0) {
    failover_.deadline = runtime_.now() + std::chrono::milliseconds(request.timeout_ms);
  }
  server_.client_pause().pause(
      runtime_.now() + std::chrono::milliseconds(constants::client_pause_ms_max),
      server::PauseScope::writes);
  runtime_.log(LogLevel::notice,
               request.host.empty()
                   ? std::string("FAILOVER requested to any replica.")
                   : fmt::format("FAILOVER requested to {}:{}.", request.host, request.port));
  return Status::ok();
}

Status Replication::abort_failover() {
  if (failover_.state == FailoverState::none) return refused("No failover in progress.");
  if (failover_.state == FailoverState::handing_over) stop_following();
  end_failover("Failover manually aborted");
  return Status::ok();
}

// An online replica the failover may hand over to (the named one, if any); with `synced_only`,
// only one that acknowledged every byte of this primary's stream.
const ReplicaInfo* Replication::failover_target(bool synced_only) const {
  const server::FailoverRequest& request = failover_.request;
  for (const auto& [id, replica] : source_.replicas()) {
    if (replica.state != ReplicaInfo::State::online) continue;
    if (!request.host.empty() &&
        (replica.ip != request.host || replica.listening_port != request.port)) {
      continue;
    }
    if (synced_only && replica.ack_offset != source_.offset()) continue;
    return &replica;
  }
  return nullptr;
}

void Replication::drive_failover() {
  const bool late = failover_.deadline && runtime_.now() >= *failover_.deadline;
  switch (failover_.state) {
    case FailoverState::none:
      return;
    case FailoverState::waiting_for_sync:
      if (const ReplicaInfo* synced = failover_target(/*synced_only=*/true)) {
        return hand_over_to(*synced);
      }
      if (!late) return;
      if (failover_.request.force) {
        if (const ReplicaInfo* named = failover_target(/*synced_only=*/false)) {
          return hand_over_to(*named);
        }
      }
      return end_failover("Replica never caught up before timeout");
    case FailoverState::handing_over:
      if (late) {
        stop_following();
        end_failover("the target did not take over in time");
      }
      return;
  }
}

void Replication::hand_over_to(const ReplicaInfo& target) {
  const std::string host = target.ip;
  const uint16_t port = target.listening_port;
  runtime_.log(LogLevel::notice,
               target.ack_offset == source_.offset()
                   ? fmt::format("Failover target {}:{} is synced, failing over.", host, port)
                   : fmt::format("FAILOVER to {}:{} time out exceeded, failing over.", host, port));
  failover_.state = FailoverState::handing_over;
  failover_.deadline =
      runtime_.now() + std::chrono::milliseconds(constants::replication_failover_handover_ms);
  (void)follow(host, port);
}

void Replication::failover_answered(bool accepted) {
  if (failover_.state != FailoverState::handing_over) return;
  if (!accepted) {
    stop_following();
    return end_failover("the target refused to take over");
  }
  runtime_.log(LogLevel::notice, "FAILOVER done: this node follows the new primary");
  end_failover("");
}

void Replication::end_failover(std::string_view why) {
  if (!why.empty()) {
    const server::FailoverRequest& request = failover_.request;
    runtime_.log(LogLevel::warning,
                 request.host.empty()
                     ? fmt::format("FAILOVER to any replica aborted: {}", why)
                     : fmt::format("FAILOVER to {}:{} aborted: {}", request.host, request.port,
                                   why));
  }
  failover_ = Failover{};
  server_.client_pause().unpause();
}

}  // namespace ringcache::replication
