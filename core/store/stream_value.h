#pragma once
// The value of a stream key (OBJECT ENCODING "stream"): its entries (stream_log.h), the IDs and
// counters Redis 7.0 keeps beside them, and its consumer groups (stream_groups.h). Unlike the
// other collections a stream may be empty and still exist (XADD MAXLEN 0, XGROUP CREATE
// MKSTREAM, XDEL of every entry). The object inside the Entry is one pointer to the state, so
// moving it between entries copies nothing.

#include <cstdint>
#include <memory>
#include <string_view>

#include "core/store/collection.h"
#include "core/store/stream_groups.h"
#include "core/store/stream_id.h"
#include "core/store/stream_log.h"

namespace ringcache::store {

struct StreamState {
  StreamLog log;
  StreamId last_id;            // the greatest ID ever added (or set by XSETID)
  StreamId first_id;           // the first live entry's ID as last recorded (0-0 when empty)
  StreamId max_deleted_id;     // the greatest ID ever deleted (XDEL; trimming does not count)
  uint64_t entries_added = 0;  // entries ever added
  StreamGroups groups;
};

class StreamValue final : public CollectionOf<StreamValue> {
 public:
  StreamValue() : state_(std::make_unique<StreamState>()) {}
  ~StreamValue() override = default;
  StreamValue(StreamValue&& other) noexcept = default;
  // A deep copy (COPY).
  std::unique_ptr<StreamValue> clone() const;

  ValueType type() const override { return ValueType::stream; }
  size_t size() const override { return state_->log.size(); }
  bool kept_when_empty() const override { return true; }
  const char* encoding() const override { return "stream"; }
  size_t allocated_bytes() const override;
  // XADD of each entry (XADD MAXLEN 0 for an empty stream), XSETID with the counters, then per
  // group XGROUP CREATE, an XCLAIM per pending entry and XGROUP CREATECONSUMER per idle consumer.
  void rebuild(std::string_view key, const RebuildSink& emit) const override;

  StreamState& state() { return *state_; }
  const StreamState& state() const { return *state_; }

  // Appends an entry with an ID above last_id and counts it.
  void add(StreamId id, std::span<const std::string_view> items, StreamBlockLimits limits);
  // XDEL of one ID: false if it was not there.
  bool erase(StreamId id);
  // Trims and refreshes the recorded first ID; returns the entries removed.
  uint64_t trim(const StreamTrim& trim);
  // The greatest live ID, or 0-0 when empty (Redis' streamLastValidID).
  StreamId last_live_id() const;
  // Recomputes first_id from the entries.
  void refresh_first_id();

  // The group's read counter for an ID (Redis' streamEstimateDistanceFromFirstEverEntry), or
  // stream_entries_read_unknown when it cannot be known.
  int64_t estimate_entries_read(StreamId id) const;
  // Whether a deleted entry may lie in [start, end] (streamRangeHasTombstones).
  bool range_has_tombstones(StreamId start, StreamId end) const;
  // A group's lag (entries not yet delivered), nullopt when unknown (streamReplyWithCGLag).
  std::optional<int64_t> lag(const StreamGroup& group) const;

  StreamGroup* find_group(std::string_view name);

 private:
  std::unique_ptr<StreamState> state_;
};

}  // namespace ringcache::store
