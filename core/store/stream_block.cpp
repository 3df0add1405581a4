// A block of stream entries (stream_block.h).

#include "core/store/stream_block.h"

#include <algorithm>
#include <cstring>

#include "core/constants.h"
#include "core/store/alloc_size.h"
#include "core/store/stream_listpack_size.h"
#include "core/store/varint.h"
#include "core/util/assert.h"

namespace ringcache::store {
namespace {

constexpr uint8_t flag_deleted = 1;
constexpr uint8_t flag_same_fields = 2;

}  // namespace

StreamBlock::StreamBlock(StreamId id, std::span<const std::string_view> items)
    : first_(id), last_(id) {
  RING_ASSERT(items.size() % 2 == 0);
  const size_t fields = items.size() / 2;
  put_varint(fields);
  for (size_t i = 0; i < items.size(); i += 2) put_bytes(items[i]);
  entries_at_ = size_;
  // Redis' node: the counters (added by listpack_bytes), the master field count, the master
  // fields and the master entry's terminating zero.
  listpack_fixed_ = static_cast<uint32_t>(listpack_size::empty_bytes +
                                          listpack_size::integer(static_cast<int64_t>(fields)) +
                                          listpack_size::integer(0));
  for (size_t i = 0; i < items.size(); i += 2) listpack_fixed_ += listpack_size::string(items[i]);
  last_ = id;
  append(id, items);
}

StreamBlock::StreamBlock(const StreamBlock& other)
    : data_(other.size_ == 0 ? nullptr : new char[other.size_]),
      size_(other.size_),
      capacity_(other.size_),
      entries_at_(other.entries_at_),
      live_(other.live_),
      total_(other.total_),
      listpack_fixed_(other.listpack_fixed_),
      first_(other.first_),
      last_(other.last_) {
  if (size_ != 0) std::memcpy(data_.get(), other.data_.get(), size_);
}

size_t StreamBlock::listpack_bytes() const {
  return listpack_fixed_ + listpack_size::integer(live_) +
         listpack_size::integer(static_cast<int64_t>(total_ - live_));
}

bool StreamBlock::full_for(std::span<const std::string_view> items, int64_t max_bytes,
                           int64_t max_entries) const {
  size_t item_bytes = 0;
  for (std::string_view item : items) item_bytes += item.size();
  const bool capped = max_bytes <= 0 || max_bytes > constants::stream_node_bytes_max;
  const int64_t bytes_max = capped ? constants::stream_node_bytes_max : max_bytes;
  if (static_cast<int64_t>(listpack_bytes() + item_bytes) >= bytes_max) return true;
  return max_entries > 0 && static_cast<int64_t>(total_) >= max_entries;
}

size_t StreamBlock::master_fields() const {
  size_t consumed = 0;
  return varint::read(data_.get(), &consumed);
}

bool StreamBlock::same_fields(std::span<const std::string_view> items) const {
  size_t consumed = 0;
  size_t at = 0;
  const size_t fields = varint::read(data_.get(), &consumed);
  at += consumed;
  if (fields * 2 != items.size()) return false;
  for (size_t i = 0; i < items.size(); i += 2) {
    const size_t len = varint::read(data_.get() + at, &consumed);
    at += consumed;
    if (std::string_view(data_.get() + at, len) != items[i]) return false;
    at += len;
  }
  return true;
}

size_t StreamBlock::listpack_entry_bytes(StreamId id, std::span<const std::string_view> items,
                                         bool same) const {
  const size_t fields = items.size() / 2;
  size_t bytes = listpack_size::integer(same ? flag_same_fields : 0);
  bytes += listpack_size::integer(static_cast<int64_t>(id.ms - first_.ms));
  bytes += listpack_size::integer(static_cast<int64_t>(id.seq - first_.seq));
  if (!same) bytes += listpack_size::integer(static_cast<int64_t>(fields));
  for (size_t i = 0; i < items.size(); ++i) {
    if (same && i % 2 == 0) continue;
    bytes += listpack_size::string(items[i]);
  }
  const int64_t count = static_cast<int64_t>(same ? fields + 3 : fields * 2 + 4);
  return bytes + listpack_size::integer(count);
}

void StreamBlock::append(StreamId id, std::span<const std::string_view> items) {
  RING_ASSERT(items.size() % 2 == 0);
  RING_ASSERT(total_ == 0 || id > last_);
  const bool same = same_fields(items);
  listpack_fixed_ += static_cast<uint32_t>(listpack_entry_bytes(id, items, same));
  const StreamId previous = total_ == 0 ? first_ : last_;
  const uint64_t ms_delta = id.ms - previous.ms;
  reserve(1 + 20);
  data_[size_++] = static_cast<char>(same ? flag_same_fields : 0);
  put_varint(ms_delta);
  put_varint(ms_delta == 0 ? id.seq - previous.seq : id.seq);
  if (!same) put_varint(items.size() / 2);
  for (size_t i = 0; i < items.size(); ++i) {
    if (same && i % 2 == 0) continue;
    put_bytes(items[i]);
  }
  last_ = id;
  ++live_;
  ++total_;
}

void StreamBlock::mark_deleted(const Position& position) {
  RING_ASSERT(!position.deleted && live_ > 0);
  data_[position.flag_at] = static_cast<char>(data_[position.flag_at] | flag_deleted);
  --live_;
}

void StreamBlock::reserve(size_t extra) {
  if (size_ + extra <= capacity_) return;
  // Grow by half again, so appends copy each byte O(1) times.
  const size_t wanted = std::max<size_t>(size_ + extra, size_t{capacity_} + capacity_ / 2);
  const size_t capacity = malloc_usable_bytes(wanted);
  auto grown = std::make_unique<char[]>(capacity);
  if (size_ != 0) std::memcpy(grown.get(), data_.get(), size_);
  data_ = std::move(grown);
  capacity_ = static_cast<uint32_t>(capacity);
}

void StreamBlock::shrink_to_fit() {
  if (capacity_ == size_ || malloc_chunk_bytes(size_) == malloc_chunk_bytes(capacity_)) return;
  auto fitted = std::make_unique<char[]>(size_);
  std::memcpy(fitted.get(), data_.get(), size_);
  data_ = std::move(fitted);
  capacity_ = size_;
}

void StreamBlock::put_varint(uint64_t value) {
  reserve(10);
  size_ += static_cast<uint32_t>(varint::write(data_.get() + size_, value));
}

void StreamBlock::put_bytes(std::string_view bytes) {
  put_varint(bytes.size());
  reserve(bytes.size());
  if (!bytes.empty()) std::memcpy(data_.get() + size_, bytes.data(), bytes.size());
  size_ += static_cast<uint32_t>(bytes.size());
}

size_t StreamBlock::skip_body(size_t at, uint8_t flag) const {
  size_t consumed = 0;
  size_t lengths = 0;
  if ((flag & flag_same_fields) != 0) {
    lengths = master_fields();
  } else {
    lengths = 2 * varint::read(data_.get() + at, &consumed);
    at += consumed;
  }
  for (size_t i = 0; i < lengths; ++i) {
    const size_t len = varint::read(data_.get() + at, &consumed);
    at += consumed + len;
  }
  return at;
}

StreamBlock::Reader::Reader(const StreamBlock& block)
    : block_(block), at_(block.entries_at_), previous_(block.first_) {}

bool StreamBlock::Reader::next(Position& out) {
  if (at_ >= block_.size_) return false;
  const char* data = block_.data_.get();
  const auto flag = static_cast<uint8_t>(data[at_]);
  out.flag_at = static_cast<uint32_t>(at_);
  out.deleted = (flag & flag_deleted) != 0;
  size_t consumed = 0;
  size_t at = at_ + 1;
  const uint64_t ms_delta = varint::read(data + at, &consumed);
  at += consumed;
  const uint64_t seq = varint::read(data + at, &consumed);
  at += consumed;
  out.id = ms_delta == 0 ? StreamId{previous_.ms, previous_.seq + seq}
                         : StreamId{previous_.ms + ms_delta, seq};
  previous_ = out.id;
  at_ = block_.skip_body(at, flag);
  return true;
}

std::vector<StreamBlock::Position> StreamBlock::positions() const {
  std::vector<Position> out;
  out.reserve(total_);
  for_each([&out](const Position& position) {
    out.push_back(position);
    return true;
  });
  return out;
}

void StreamBlock::items_at(const Position& position, std::vector<std::string_view>& out) const {
  out.clear();
  const char* data = data_.get();
  const auto flag = static_cast<uint8_t>(data[position.flag_at]);
  size_t consumed = 0;
  size_t at = position.flag_at + 1;
  varint::read(data + at, &consumed);
  at += consumed;
  varint::read(data + at, &consumed);
  at += consumed;
  const auto read_bytes = [&]() {
    const size_t len = varint::read(data + at, &consumed);
    at += consumed;
    const std::string_view bytes(data + at, len);
    at += len;
    return bytes;
  };
  if ((flag & flag_same_fields) == 0) {
    const size_t fields = varint::read(data + at, &consumed);
    at += consumed;
    for (size_t i = 0; i < 2 * fields; ++i) out.push_back(read_bytes());
    return;
  }
  // Same fields as the master entry: the names come from the block's head.
  size_t master_at = 0;
  const size_t fields = varint::read(data, &consumed);
  master_at += consumed;
  for (size_t i = 0; i < fields; ++i) {
    const size_t len = varint::read(data + master_at, &consumed);
    master_at += consumed;
    out.emplace_back(data + master_at, len);
    master_at += len;
    out.push_back(read_bytes());
  }
}

size_t StreamBlock::allocated_bytes() const {
  return capacity_ == 0 ? 0 : malloc_chunk_bytes(capacity_);
}

}  // namespace ringcache::store
