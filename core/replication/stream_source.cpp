#include "core/replication/stream_source.h"

#include <algorithm>

#include "core/constants.h"

namespace ringcache::replication {

StreamSource::StreamSource(Runtime& runtime)
    : runtime_(runtime), grown_(runtime.make_wait_queue()), alone_since_(runtime.now()) {}

void StreamSource::propagate(const server::PropagatedUnit& unit) { append(unit.resp); }

void StreamSource::append(std::string_view bytes) {
  if (!backlog_ || bytes.empty()) return;
  backlog_->append(bytes);
  for (SyncBuffer* buffer : sync_buffers_) {
    if (buffer->overflowed) continue;
    if (buffer->bytes.size() + bytes.size() > buffer->bytes_max) {
      buffer->overflowed = true;
      buffer->bytes.clear();
      buffer->bytes.shrink_to_fit();
    } else {
      buffer->bytes.append(bytes);
    }
  }
  grown_->notify_all();
}

void StreamSource::remove_sync_buffer(SyncBuffer* buffer) {
  sync_buffers_.erase(std::remove(sync_buffers_.begin(), sync_buffers_.end(), buffer),
                      sync_buffers_.end());
}

void StreamSource::create_backlog(size_t capacity) {
  if (backlog_) return;
  backlog_ = std::make_unique<Backlog>(capacity, offset_without_backlog_);
}

void StreamSource::free_backlog() {
  if (!backlog_) return;
  offset_without_backlog_ = backlog_->end_offset();
  backlog_.reset();
}

void StreamSource::restart_at(uint64_t offset, size_t capacity) {
  offset_without_backlog_ = offset;
  backlog_ = std::make_unique<Backlog>(capacity, offset);
}

ReplicaInfo& StreamSource::add_replica(uint64_t client_id, std::string ip,
                                       uint16_t listening_port) {
  ReplicaInfo& replica = replicas_[client_id];
  replica.client_id = client_id;
  replica.ip = std::move(ip);
  replica.listening_port = listening_port;
  replica.last_ack = runtime_.now();
  alone_since_.reset();
  return replica;
}

void StreamSource::remove_replica(uint64_t client_id) {
  replicas_.erase(client_id);
  if (replicas_.empty()) alone_since_ = runtime_.now();
}

ReplicaInfo* StreamSource::find_replica(uint64_t client_id) {
  const auto found = replicas_.find(client_id);
  return found == replicas_.end() ? nullptr : &found->second;
}

size_t StreamSource::acked(uint64_t offset) const {
  size_t count = 0;
  for (const auto& [id, replica] : replicas_) {
    if (replica.state == ReplicaInfo::State::online && replica.ack_offset >= offset) ++count;
  }
  return count;
}

size_t StreamSource::good(Instant now, Nanos max_lag) const {
  size_t count = 0;
  for (const auto& [id, replica] : replicas_) {
    if (replica.state == ReplicaInfo::State::online && now - replica.last_ack <= max_lag) ++count;
  }
  return count;
}

}  // namespace ringcache::replication
