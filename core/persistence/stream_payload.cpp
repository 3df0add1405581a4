#include "core/persistence/stream_payload.h"

#include <fmt/format.h>

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/constants.h"
#include "core/persistence/listpack_codec.h"
#include "core/persistence/rdb_format.h"
#include "core/persistence/rdb_output.h"
#include "core/util/integer.h"

namespace ringcache::persistence {
namespace {

constexpr int64_t stream_flag_samefields = 2;

std::string stream_id_key(store::StreamId id) {
  std::string out;
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((id.ms >> (8 * i)) & 0xff));
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((id.seq >> (8 * i)) & 0xff));
  return out;
}

// Times (delivery, seen) as Redis' rdbSaveMillisecondTime: eight little-endian bytes.
void append_millis(std::string& out, int64_t ms) {
  const auto bits = static_cast<uint64_t>(ms);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
}

std::string stream_number(int64_t value) { return fmt::format("{}", value); }

// One stream node: the entries from `first` on that share it, as Redis' listpack.
class NodeWriter {
 public:
  explicit NodeWriter(store::StreamId master, std::span<const std::string_view> items)
      : master_(master) {
    for (size_t i = 0; i < items.size(); i += 2) master_fields_.emplace_back(items[i]);
  }
  void add(store::StreamId id, std::span<const std::string_view> items) {
    bool same = items.size() == 2 * master_fields_.size();
    for (size_t i = 0; same && i < items.size(); i += 2) same = items[i] == master_fields_[i / 2];
    std::vector<std::string> elements{stream_number(same ? stream_flag_samefields : 0),
                                      stream_number(static_cast<int64_t>(id.ms - master_.ms)),
                                      stream_number(static_cast<int64_t>(id.seq - master_.seq))};
    if (!same) elements.push_back(stream_number(static_cast<int64_t>(items.size() / 2)));
    for (size_t i = same ? 1 : 0; i < items.size(); i += same ? 2 : 1) {
      elements.emplace_back(items[i]);
    }
    elements.push_back(stream_number(static_cast<int64_t>(elements.size())));
    for (const std::string& element : elements) {
      bytes_ += element.size() + 2;
      entries_.push_back(element);
    }
    ++count_;
  }
  size_t count() const { return count_; }
  size_t bytes() const { return bytes_; }
  void write(std::string& out) const {
    ListpackBuilder packed;
    packed.append(stream_number(static_cast<int64_t>(count_)));
    packed.append("0");  // deleted entries: none, DUMP writes live entries only
    packed.append(stream_number(static_cast<int64_t>(master_fields_.size())));
    for (const std::string& field : master_fields_) packed.append(field);
    packed.append("0");  // the master entry's terminator
    for (const std::string& element : entries_) packed.append(element);
    rdb::append_string(out, stream_id_key(master_));
    rdb::append_string(out, packed.finish());
  }

 private:
  store::StreamId master_;
  std::vector<std::string> master_fields_;
  std::vector<std::string> entries_;
  size_t count_ = 0;
  size_t bytes_ = 0;
};

void dump_stream_entries(std::string& out, const store::StreamValue& stream) {
  std::vector<NodeWriter> nodes;
  stream.state().log.range(store::StreamId::min(), store::StreamId::max(), false,
                           [&](store::StreamId id, std::span<const std::string_view> items) {
                             if (nodes.empty() ||
                                 nodes.back().count() >= constants::dump_stream_node_entries ||
                                 nodes.back().bytes() >= constants::dump_stream_node_bytes) {
                               nodes.emplace_back(id, items);
                             }
                             nodes.back().add(id, items);
                             return true;
                           });
  rdb::append_length(out, nodes.size());
  for (const NodeWriter& node : nodes) node.write(out);
}

void dump_group(std::string& out, std::string_view name, const store::StreamGroup& group) {
  rdb::append_string(out, name);
  rdb::append_length(out, group.last_id.ms);
  rdb::append_length(out, group.last_id.seq);
  // Unknown (-1) travels as the 64-bit length 2^64-1, as Redis writes it.
  rdb::append_length(out, static_cast<uint64_t>(group.entries_read));
  rdb::append_length(out, group.pending.size());
  for (const auto& [id, pending] : group.pending) {
    out.append(stream_id_key(id));
    append_millis(out, pending.delivery_time_ms);
    rdb::append_length(out, pending.delivery_count);
  }
  rdb::append_length(out, group.consumers.size());
  for (const auto& [consumer_name, consumer] : group.consumers) {
    rdb::append_string(out, consumer_name);
    append_millis(out, consumer.seen_time_ms);
    rdb::append_length(out, consumer.pending.size());
    for (const store::StreamId id : consumer.pending) out.append(stream_id_key(id));
  }
}

}  // namespace

void dump_stream(std::string& out, const store::StreamValue& stream) {
  const store::StreamState& s = stream.state();
  dump_stream_entries(out, stream);
  rdb::append_length(out, s.log.size());
  for (const store::StreamId id : {s.last_id, s.first_id, s.max_deleted_id}) {
    rdb::append_length(out, id.ms);
    rdb::append_length(out, id.seq);
  }
  rdb::append_length(out, s.entries_added);
  rdb::append_length(out, s.groups.size());
  for (const auto& [name, group] : s.groups) dump_group(out, name, group);
}

}  // namespace ringcache::persistence
