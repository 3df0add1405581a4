// read_stream (stream_payload.h): RESTORE's side of a stream payload. The payload is a client's,
// so every count, ID and cross-reference is checked before the stream relies on it: entries in
// ascending order and below the last ID (XADD's automatic IDs must stay unique), counts that
// match the entries, every pending entry held by exactly one consumer.

#include <optional>
#include <string>
#include <vector>

#include "core/persistence/listpack_codec.h"
#include "core/persistence/rdb_format.h"
#include "core/persistence/stream_payload.h"
#include "core/util/integer.h"

namespace ringcache::persistence {
namespace {

constexpr size_t stream_key_bytes = 16;
constexpr int64_t entry_flag_deleted = 1;
constexpr int64_t entry_flag_samefields = 2;

std::optional<store::StreamId> read_id_bytes(rdb::Input& in) {
  const std::optional<std::string_view> bytes = in.raw(stream_key_bytes);
  if (!bytes) return std::nullopt;
  store::StreamId id;
  for (size_t i = 0; i < 8; ++i) id.ms = (id.ms << 8) | static_cast<uint8_t>((*bytes)[i]);
  for (size_t i = 8; i < 16; ++i) id.seq = (id.seq << 8) | static_cast<uint8_t>((*bytes)[i]);
  return id;
}

std::optional<store::StreamId> read_id_lengths(rdb::Input& in) {
  const std::optional<uint64_t> ms = in.length();
  const std::optional<uint64_t> seq = ms ? in.length() : std::nullopt;
  if (!seq) return std::nullopt;
  return store::StreamId{*ms, *seq};
}

// Walks one node's elements (a listpack already split into strings).
class NodeReader {
 public:
  NodeReader(const std::vector<std::string>& elements, store::StreamId master)
      : elements_(elements), master_(master) {}

  // Adds the node's live entries to `stream`; false when the node is malformed.
  bool read_into(store::StreamValue& stream, store::StreamBlockLimits limits) {
    const std::optional<int64_t> live = integer();
    const std::optional<int64_t> deleted = integer();
    const std::optional<int64_t> field_count = integer();
    if (!live || !deleted || !field_count || *field_count < 0 ||
        static_cast<uint64_t>(*field_count) > elements_.size()) {
      return false;
    }
    std::vector<std::string_view> master_fields;
    for (int64_t i = 0; i < *field_count; ++i) {
      if (at_ >= elements_.size()) return false;
      master_fields.push_back(elements_[at_++]);
    }
    if (integer() != 0) return false;  // the master entry's terminator
    int64_t live_seen = 0;
    int64_t deleted_seen = 0;
    while (at_ < elements_.size()) {
      std::optional<bool> was_live = entry(stream, master_fields, limits);
      if (!was_live) return false;
      ++(*was_live ? live_seen : deleted_seen);
    }
    return live_seen == *live && deleted_seen == *deleted;
  }

 private:
  std::optional<int64_t> integer() {
    if (at_ >= elements_.size()) return std::nullopt;
    return parse_int64(elements_[at_++]);
  }

  // One entry: true when live (and added), false when marked deleted; nullopt when malformed.
  std::optional<bool> entry(store::StreamValue& stream,
                            const std::vector<std::string_view>& master_fields,
                            store::StreamBlockLimits limits) {
    const size_t start = at_;
    const std::optional<int64_t> flags = integer();
    const std::optional<int64_t> ms_diff = integer();
    const std::optional<int64_t> seq_diff = integer();
    if (!flags || !ms_diff || !seq_diff) return std::nullopt;
    const bool same = (*flags & entry_flag_samefields) != 0;
    std::optional<int64_t> count = same ? std::optional<int64_t>(master_fields.size()) : integer();
    if (!count || *count < 0 || static_cast<uint64_t>(*count) > elements_.size() - at_) {
      return std::nullopt;
    }
    std::vector<std::string_view> items;
    for (int64_t i = 0; i < *count; ++i) {
      if (same) {
        items.push_back(master_fields[static_cast<size_t>(i)]);
      } else {
        if (at_ >= elements_.size()) return std::nullopt;
        items.push_back(elements_[at_++]);
      }
      if (at_ >= elements_.size()) return std::nullopt;
      items.push_back(elements_[at_++]);
    }
    // The element count closing the entry covers everything from its flags.
    const auto elements_read = static_cast<int64_t>(at_ - start);
    if (integer() != elements_read) return std::nullopt;
    // Differences wrap as Redis computes them, in unsigned 64-bit arithmetic.
    const store::StreamId id{master_.ms + static_cast<uint64_t>(*ms_diff),
                             master_.seq + static_cast<uint64_t>(*seq_diff)};
    if ((*flags & entry_flag_deleted) != 0) return false;
    // Ascending, and above 0-0 (the last ID of an empty stream): what XADD guarantees.
    if (id <= stream.state().last_id) return std::nullopt;
    stream.add(id, items, limits);
    return true;
  }

  const std::vector<std::string>& elements_;
  store::StreamId master_;
  size_t at_ = 0;
};

bool read_nodes(rdb::Input& in, store::StreamValue& stream, store::StreamBlockLimits limits) {
  const std::optional<uint64_t> nodes = in.length();
  if (!nodes) return false;
  for (uint64_t n = 0; n < *nodes; ++n) {
    const std::optional<std::string> key = in.string();
    const std::optional<std::string> blob = key ? in.string() : std::nullopt;
    if (!blob || key->size() != stream_key_bytes) return false;
    rdb::Input key_in(*key);
    const store::StreamId master = *read_id_bytes(key_in);
    std::vector<std::string> elements;
    if (!listpack_for_each(*blob, [&](std::string_view element) {
          elements.emplace_back(element);
          return true;
        })) {
      return false;
    }
    if (elements.empty()) return false;  // Redis refuses an empty node too
    if (!NodeReader(elements, master).read_into(stream, limits)) return false;
  }
  return true;
}

bool read_group(rdb::Input& in, uint8_t type, store::StreamValue& stream) {
  const std::optional<std::string> name = in.string();
  const std::optional<store::StreamId> last_id = name ? read_id_lengths(in) : std::nullopt;
  if (!last_id) return false;
  int64_t entries_read = 0;
  if (type == rdb::type_stream_listpacks_2) {
    const std::optional<uint64_t> read = in.length();
    if (!read) return false;
    entries_read = static_cast<int64_t>(*read);  // 2^64-1 is -1: unknown
  } else {
    entries_read = stream.estimate_entries_read(*last_id);
  }
  auto [it, added] =
      stream.state().groups.emplace(*name, store::StreamGroup(*last_id, entries_read));
  if (!added) return false;
  store::StreamGroup& group = it->second;
  const std::optional<uint64_t> pending = in.length();
  if (!pending) return false;
  for (uint64_t i = 0; i < *pending; ++i) {
    const std::optional<store::StreamId> id = read_id_bytes(in);
    const std::optional<uint64_t> time = id ? in.little_endian(8) : std::nullopt;
    const std::optional<uint64_t> count = time ? in.length() : std::nullopt;
    if (!count) return false;
    const store::StreamPending entry{static_cast<int64_t>(*time), *count, nullptr};
    if (!group.pending.emplace(*id, entry).second) return false;
  }
  const std::optional<uint64_t> consumers = in.length();
  if (!consumers) return false;
  for (uint64_t c = 0; c < *consumers; ++c) {
    const std::optional<std::string> consumer_name = in.string();
    const std::optional<uint64_t> seen = consumer_name ? in.little_endian(8) : std::nullopt;
    const std::optional<uint64_t> held = seen ? in.length() : std::nullopt;
    if (!held || group.find_consumer(*consumer_name) != nullptr) return false;
    store::StreamConsumer& consumer = group.consumer(*consumer_name, static_cast<int64_t>(*seen));
    for (uint64_t i = 0; i < *held; ++i) {
      const std::optional<store::StreamId> id = read_id_bytes(in);
      if (!id) return false;
      const auto found = group.pending.find(*id);
      if (found == group.pending.end() || found->second.consumer != nullptr) return false;
      found->second.consumer = &consumer;
      consumer.pending.insert(*id);
    }
  }
  for (const auto& [id, entry] : group.pending) {
    if (entry.consumer == nullptr) return false;
  }
  return true;
}

}  // namespace

std::unique_ptr<store::Collection> read_stream(rdb::Input& in, uint8_t type,
                                               const store::EncodingLimits& limits) {
  auto stream = std::make_unique<store::StreamValue>();
  const store::StreamBlockLimits block_limits{limits.stream_node_max_bytes,
                                              limits.stream_node_max_entries};
  if (!read_nodes(in, *stream, block_limits)) return nullptr;
  store::StreamState& s = stream->state();
  const std::optional<uint64_t> length = in.length();
  const std::optional<store::StreamId> last_id = length ? read_id_lengths(in) : std::nullopt;
  if (!last_id || *length != stream->size() || *last_id < stream->last_live_id()) return nullptr;
  if (type == rdb::type_stream_listpacks_2) {
    const std::optional<store::StreamId> first_id = read_id_lengths(in);
    const std::optional<store::StreamId> max_deleted =
        first_id ? read_id_lengths(in) : std::nullopt;
    const std::optional<uint64_t> added = max_deleted ? in.length() : std::nullopt;
    if (!added || *added < stream->size()) return nullptr;
    // The recorded first ID feeds the groups' lag: it must be the first entry's, when there is
    // one (an empty stream keeps whatever Redis recorded).
    if (stream->size() > 0 && *first_id != s.first_id) return nullptr;
    s.first_id = *first_id;
    s.max_deleted_id = *max_deleted;
    s.entries_added = *added;
  } else {
    // Redis 6.2 kept none of these: as Redis 7.0 loads such a stream.
    s.max_deleted_id = store::StreamId::min();
    s.entries_added = stream->size();
    stream->refresh_first_id();
  }
  s.last_id = *last_id;
  const std::optional<uint64_t> groups = in.length();
  if (!groups) return nullptr;
  for (uint64_t g = 0; g < *groups; ++g) {
    if (!read_group(in, type, *stream)) return nullptr;
  }
  return stream;
}

}  // namespace ringcache::persistence
