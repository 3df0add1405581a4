// The blocks of a stream (stream_log.h).

#include "core/store/stream_log.h"

#include <algorithm>

#include "core/store/alloc_size.h"
#include "core/util/assert.h"

namespace ringcache::store {
namespace {

// libstdc++'s deque keeps its elements in 512-byte chunks, indexed by an array of pointers.
constexpr size_t deque_chunk_bytes = 512;

}  // namespace

size_t StreamLog::block_at_or_before(StreamId id) const {
  const auto after = std::upper_bound(
      blocks_.begin(), blocks_.end(), id,
      [](StreamId value, const StreamBlock& block) { return value < block.first_id(); });
  const auto index = static_cast<size_t>(after - blocks_.begin());
  return index == 0 ? 0 : index - 1;
}

void StreamLog::append(StreamId id, std::span<const std::string_view> items,
                       StreamBlockLimits limits) {
  if (blocks_.empty() || blocks_.back().full_for(items, limits.max_bytes, limits.max_entries)) {
    if (!blocks_.empty()) {
      StreamBlock& closed = blocks_.back();
      block_bytes_ -= closed.allocated_bytes();
      closed.shrink_to_fit();
      block_bytes_ += closed.allocated_bytes();
    }
    blocks_.emplace_back(id, items);
    block_bytes_ += blocks_.back().allocated_bytes();
  } else {
    StreamBlock& last = blocks_.back();
    block_bytes_ -= last.allocated_bytes();
    last.append(id, items);
    block_bytes_ += last.allocated_bytes();
  }
  ++size_;
}

std::optional<StreamLog::Found> StreamLog::find(StreamId id) const {
  if (blocks_.empty()) return std::nullopt;
  const size_t b = block_at_or_before(id);
  const StreamBlock& block = blocks_[b];
  if (id < block.first_id() || id > block.last_id()) return std::nullopt;
  std::optional<Found> found;
  block.for_each([&](const StreamBlock::Position& position) {
    if (position.id < id) return true;
    if (position.id == id && !position.deleted) found = Found{b, position};
    return false;
  });
  return found;
}

bool StreamLog::contains(StreamId id) const { return find(id).has_value(); }

bool StreamLog::erase(StreamId id) {
  const auto found = find(id);
  if (!found) return false;
  StreamBlock& block = blocks_[found->block];
  block.mark_deleted(found->position);
  --size_;
  if (block.live() == 0) drop_block(found->block);
  return true;
}

void StreamLog::drop_block(size_t index) {
  block_bytes_ -= blocks_[index].allocated_bytes();
  blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(index));
}

std::optional<StreamId> StreamLog::first_id() const {
  for (const StreamBlock& block : blocks_) {
    std::optional<StreamId> id;
    block.for_each([&](const StreamBlock::Position& position) {
      if (position.deleted) return true;
      id = position.id;
      return false;
    });
    if (id) return id;
  }
  return std::nullopt;
}

std::optional<StreamId> StreamLog::last_id() const {
  for (size_t b = blocks_.size(); b-- > 0;) {
    const auto positions = blocks_[b].positions();
    for (size_t i = positions.size(); i-- > 0;) {
      if (!positions[i].deleted) return positions[i].id;
    }
  }
  return std::nullopt;
}

template <typename Stop>
uint64_t StreamLog::trim_front_entries(Stop&& stop) {
  StreamBlock& block = blocks_.front();
  uint64_t removed = 0;
  for (const auto& position : block.positions()) {
    if (stop(position.id)) break;
    if (position.deleted) continue;
    block.mark_deleted(position);
    --size_;
    ++removed;
  }
  // A block left with no live entry stays, as Redis keeps such a node: the next trim drops it.
  return removed;
}

uint64_t StreamLog::trim(const StreamTrim& trim) {
  using Strategy = StreamTrim::Strategy;
  if (trim.strategy == Strategy::none) return 0;
  uint64_t removed = 0;
  while (!blocks_.empty()) {
    if (trim.strategy == Strategy::maxlen && size_ <= trim.maxlen) break;
    const StreamBlock& block = blocks_.front();
    const uint64_t entries = block.live();
    if (trim.limit != 0 && removed + entries > static_cast<uint64_t>(trim.limit)) break;
    const bool whole = trim.strategy == Strategy::maxlen ? size_ - entries >= trim.maxlen
                                                         : block.last_id() < trim.minid;
    if (whole) {
      size_ -= entries;
      removed += entries;
      drop_block(0);
      continue;
    }
    if (trim.approximate) break;
    if (trim.strategy == Strategy::maxlen) {
      removed += trim_front_entries([&](StreamId) { return size_ <= trim.maxlen; });
    } else {
      removed += trim_front_entries([&](StreamId id) { return id >= trim.minid; });
    }
    break;
  }
  return removed;
}

size_t StreamLog::allocated_bytes() const {
  if (blocks_.empty()) return 0;
  const size_t per_chunk = std::max<size_t>(1, deque_chunk_bytes / sizeof(StreamBlock));
  const size_t chunks = blocks_.size() / per_chunk + 1;
  const size_t index_slots = std::max<size_t>(8, chunks + 2);
  return block_bytes_ + chunks * malloc_chunk_bytes(deque_chunk_bytes) +
         malloc_chunk_bytes(index_slots * sizeof(void*));
}

}  // namespace ringcache::store
