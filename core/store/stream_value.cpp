// The stream value (stream_value.h): counters kept beside the entries, group bookkeeping that
// needs the entries, and the rebuild for the AOF rewrite.

#include "core/store/stream_value.h"

#include <string>
#include <vector>

#include "core/store/alloc_size.h"
#include "core/util/assert.h"

namespace ringcache::store {
namespace {

void emit_strings(const RebuildSink& emit, const std::vector<std::string>& argv) {
  std::vector<std::string_view> views(argv.begin(), argv.end());
  emit(views);
}

void rebuild_group(std::string_view key, const std::string& name, const StreamGroup& group,
                   const RebuildSink& emit) {
  emit_strings(emit, {"XGROUP", "CREATE", std::string(key), name, group.last_id.to_string(),
                      "ENTRIESREAD", std::to_string(group.entries_read)});
  for (const auto& [id, entry] : group.pending) {
    emit_strings(emit, {"XCLAIM", std::string(key), name, entry.consumer->name, "0", id.to_string(),
                        "TIME", std::to_string(entry.delivery_time_ms), "RETRYCOUNT",
                        std::to_string(entry.delivery_count), "JUSTID", "FORCE"});
  }
  for (const auto& [consumer_name, consumer] : group.consumers) {
    if (!consumer.pending.empty()) continue;
    emit_strings(emit, {"XGROUP", "CREATECONSUMER", std::string(key), name, consumer_name});
  }
}

}  // namespace

std::unique_ptr<StreamValue> StreamValue::clone() const {
  auto copy = std::make_unique<StreamValue>();
  StreamState& to = copy->state();
  const StreamState& from = *state_;
  to.log = from.log;
  to.last_id = from.last_id;
  to.first_id = from.first_id;
  to.max_deleted_id = from.max_deleted_id;
  to.entries_added = from.entries_added;
  to.groups = from.groups;
  return copy;
}

size_t StreamValue::allocated_bytes() const {
  size_t bytes = malloc_chunk_bytes(sizeof(StreamState)) + state_->log.allocated_bytes();
  const size_t group_node =
      malloc_chunk_bytes(tree_node_header_bytes + sizeof(std::string) + sizeof(StreamGroup));
  for (const auto& [name, group] : state_->groups) {
    bytes += group_node + group.allocated_bytes();
    if (name.size() > 15) bytes += malloc_chunk_bytes(name.size() + 1);
  }
  return bytes;
}

void StreamValue::rebuild(std::string_view key, const RebuildSink& emit) const {
  const StreamState& s = *state_;
  const std::string key_text(key);
  if (s.log.size() != 0) {
    std::vector<std::string_view> argv;
    s.log.range(StreamId::min(), StreamId::max(), false,
                [&](StreamId id, std::span<const std::string_view> items) {
                  const std::string id_text = id.to_string();
                  argv.assign({"XADD", key, id_text});
                  argv.insert(argv.end(), items.begin(), items.end());
                  emit(argv);
                  return true;
                });
  } else {
    // An empty stream: added with one entry trimmed at once; XSETID below sets its real IDs.
    emit_strings(emit, {"XADD", key_text, "MAXLEN", "0", "0-1", "x", "y"});
  }
  emit_strings(emit,
               {"XSETID", key_text, s.last_id.to_string(), "ENTRIESADDED",
                std::to_string(s.entries_added), "MAXDELETEDID", s.max_deleted_id.to_string()});
  for (const auto& [name, group] : s.groups) rebuild_group(key, name, group, emit);
}

void StreamValue::add(StreamId id, std::span<const std::string_view> items,
                      StreamBlockLimits limits) {
  RING_ASSERT(id > state_->last_id);
  state_->log.append(id, items, limits);
  if (state_->log.size() == 1) state_->first_id = id;
  state_->last_id = id;
  ++state_->entries_added;
}

bool StreamValue::erase(StreamId id) {
  StreamState& s = *state_;
  if (!s.log.erase(id)) return false;
  if (id > s.max_deleted_id) s.max_deleted_id = id;
  if (s.log.size() == 0) {
    s.first_id = StreamId::min();
  } else if (id == s.first_id) {
    refresh_first_id();
  }
  return true;
}

uint64_t StreamValue::trim(const StreamTrim& trim) {
  const uint64_t removed = state_->log.trim(trim);
  if (removed != 0) refresh_first_id();
  return removed;
}

void StreamValue::refresh_first_id() {
  state_->first_id = state_->log.first_id().value_or(StreamId::min());
}

StreamId StreamValue::last_live_id() const {
  return state_->log.last_id().value_or(StreamId::min());
}

bool StreamValue::range_has_tombstones(StreamId start, StreamId end) const {
  const StreamState& s = *state_;
  if (s.log.size() == 0 || s.max_deleted_id.is_zero()) return false;
  if (s.first_id > s.max_deleted_id) return false;
  return start <= s.max_deleted_id && s.max_deleted_id <= end;
}

int64_t StreamValue::estimate_entries_read(StreamId id) const {
  const StreamState& s = *state_;
  const auto added = static_cast<int64_t>(s.entries_added);
  if (s.entries_added == 0) return 0;
  if (s.log.size() == 0 && id <= s.last_id) return added;
  if (id == s.last_id) return added;
  if (id > s.last_id) return stream_entries_read_unknown;
  if (s.max_deleted_id.is_zero() || s.max_deleted_id < s.first_id) {
    const auto length = static_cast<int64_t>(s.log.size());
    if (id < s.first_id) return added - length;
    if (id == s.first_id) return added - length + 1;
  }
  return stream_entries_read_unknown;
}

std::optional<int64_t> StreamValue::lag(const StreamGroup& group) const {
  const StreamState& s = *state_;
  const auto added = static_cast<int64_t>(s.entries_added);
  if (s.entries_added == 0) return 0;
  if (group.entries_read != stream_entries_read_unknown &&
      !range_has_tombstones(group.last_id, StreamId::max())) {
    return added - group.entries_read;
  }
  const int64_t read = estimate_entries_read(group.last_id);
  if (read == stream_entries_read_unknown) return std::nullopt;
  return added - read;
}

StreamGroup* StreamValue::find_group(std::string_view name) {
  auto found = state_->groups.find(name);
  return found == state_->groups.end() ? nullptr : &found->second;
}

}  // namespace ringcache::store
