#pragma once
// The consumer groups of a stream (Redis' streamCG): each group's last delivered ID and read
// counter, its pending entries list (PEL: entries delivered and not yet acknowledged, with the
// consumer that holds each, when it was delivered and how many times), and its consumers with
// the IDs each one holds. Names are kept in byte order, the order Redis' radix trees list them.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/store/stream_id.h"

namespace ringcache::store {

struct StreamConsumer;

// One pending entry.
struct StreamPending {
  int64_t delivery_time_ms = 0;
  uint64_t delivery_count = 0;
  StreamConsumer* consumer = nullptr;
};

struct StreamConsumer {
  std::string name;
  int64_t seen_time_ms = 0;
  std::set<StreamId> pending;  // the IDs of the group's PEL this consumer holds
};

// entries_read when the group's position in the stream's history is not known.
inline constexpr int64_t stream_entries_read_unknown = -1;

class StreamGroup {
 public:
  StreamGroup(StreamId last_id, int64_t entries_read)
      : last_id(last_id), entries_read(entries_read) {}
  StreamGroup(const StreamGroup& other);
  StreamGroup& operator=(const StreamGroup&) = delete;

  StreamId last_id;
  int64_t entries_read = stream_entries_read_unknown;
  std::map<StreamId, StreamPending> pending;
  std::map<std::string, StreamConsumer, std::less<>> consumers;

  StreamConsumer* find_consumer(std::string_view name);
  // The consumer `name`, made if absent (`created` says so), seen now.
  StreamConsumer& consumer(std::string_view name, int64_t now_ms, bool* created = nullptr);
  // Removes a consumer and its pending entries; returns how many it held (nullopt: absent).
  std::optional<uint64_t> delete_consumer(std::string_view name);

  // Records `id` as delivered to `consumer` now, once (XREADGROUP): a pending entry held by
  // another consumer moves to this one with its count reset to 1.
  StreamPending& deliver(StreamId id, StreamConsumer& consumer, int64_t now_ms);
  // Gives the pending entry `id` to `consumer` (XCLAIM): `entry` is the group's PEL entry.
  void assign(StreamId id, StreamPending& entry, StreamConsumer& consumer);
  // Drops `id` from the PEL (XACK); false if it was not pending.
  bool acknowledge(StreamId id);

  // Bytes this group takes from the allocator (its maps, names and pending entries).
  size_t allocated_bytes() const;
};

using StreamGroups = std::map<std::string, StreamGroup, std::less<>>;

}  // namespace ringcache::store
