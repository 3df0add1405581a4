// Consumer groups (stream_groups.h).

#include "core/store/stream_groups.h"

#include "core/store/alloc_size.h"
#include "core/util/assert.h"

namespace ringcache::store {
namespace {

size_t string_bytes(const std::string& text) {
  // Short strings live inside the std::string object (15 bytes in libstdc++).
  return text.size() <= 15 ? 0 : malloc_chunk_bytes(text.size() + 1);
}

}  // namespace

StreamGroup::StreamGroup(const StreamGroup& other)
    : last_id(other.last_id),
      entries_read(other.entries_read),
      pending(other.pending),
      consumers(other.consumers) {
  // The copied PEL points at the other group's consumers: point it at ours.
  for (auto& [id, entry] : pending) {
    auto found = consumers.find(entry.consumer->name);
    RING_ASSERT(found != consumers.end());
    entry.consumer = &found->second;
  }
}

StreamConsumer* StreamGroup::find_consumer(std::string_view name) {
  auto found = consumers.find(name);
  return found == consumers.end() ? nullptr : &found->second;
}

StreamConsumer& StreamGroup::consumer(std::string_view name, int64_t now_ms, bool* created) {
  auto found = consumers.find(name);
  if (created != nullptr) *created = found == consumers.end();
  if (found == consumers.end()) {
    found =
        consumers.emplace(std::string(name), StreamConsumer{std::string(name), now_ms, {}}).first;
  }
  return found->second;
}

std::optional<uint64_t> StreamGroup::delete_consumer(std::string_view name) {
  auto found = consumers.find(name);
  if (found == consumers.end()) return std::nullopt;
  const uint64_t held = found->second.pending.size();
  for (StreamId id : found->second.pending) pending.erase(id);
  consumers.erase(found);
  return held;
}

StreamPending& StreamGroup::deliver(StreamId id, StreamConsumer& consumer, int64_t now_ms) {
  auto [at, inserted] = pending.try_emplace(id);
  StreamPending& entry = at->second;
  if (!inserted) entry.consumer->pending.erase(id);
  entry.consumer = &consumer;
  entry.delivery_time_ms = now_ms;
  entry.delivery_count = 1;
  consumer.pending.insert(id);
  return entry;
}

void StreamGroup::assign(StreamId id, StreamPending& entry, StreamConsumer& consumer) {
  if (entry.consumer == &consumer) return;
  if (entry.consumer != nullptr) entry.consumer->pending.erase(id);
  entry.consumer = &consumer;
  consumer.pending.insert(id);
}

bool StreamGroup::acknowledge(StreamId id) {
  auto found = pending.find(id);
  if (found == pending.end()) return false;
  found->second.consumer->pending.erase(id);
  pending.erase(found);
  return true;
}

size_t StreamGroup::allocated_bytes() const {
  const size_t pending_node =
      malloc_chunk_bytes(tree_node_header_bytes + sizeof(StreamId) + sizeof(StreamPending));
  const size_t held_node = malloc_chunk_bytes(tree_node_header_bytes + sizeof(StreamId));
  size_t bytes = pending.size() * (pending_node + held_node);
  const size_t consumer_node =
      malloc_chunk_bytes(tree_node_header_bytes + sizeof(std::string) + sizeof(StreamConsumer));
  for (const auto& [name, consumer] : consumers) {
    bytes += consumer_node + 2 * string_bytes(name);
  }
  return bytes;
}

}  // namespace ringcache::store
