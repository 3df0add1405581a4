#include "core/store/list_value.h"

#include <algorithm>
#include <utility>

#include "core/constants.h"
#include "core/store/alloc_size.h"
#include "core/util/assert.h"

namespace ringcache::store {
namespace {

// A node's byte limit under a negative fill (-1: 4 KiB ... -5: 64 KiB; lower clamps to -5).
size_t node_bytes_limit(int64_t fill) {
  const int64_t size_class = std::max(fill, constants::list_node_size_class_min);
  return constants::list_node_bytes_base << static_cast<size_t>(-size_class - 1);
}

// PackedList's per-element overhead is at most a few length bytes; this bound keeps the fill
// check cheap without asking the node for exact encoded sizes.
constexpr size_t element_overhead_bytes = 4;

}  // namespace

size_t ListValue::allocated_bytes() const {
  size_t bytes = 0;
  if (nodes_.capacity() > 0) bytes += malloc_chunk_bytes(nodes_.capacity() * sizeof(PackedList));
  return bytes + node_bytes_;
}

void ListValue::rebuild(std::string_view key, const RebuildSink& emit) const {
  std::vector<std::string_view> argv{"RPUSH", key};
  visit(0, false, [&](size_t, std::string_view element) {
    argv.push_back(element);
    if (argv.size() - 2 == constants::rebuild_items_per_command_max) {
      emit(argv);
      argv.resize(2);
    }
    return true;
  });
  if (argv.size() > 2) emit(argv);
}

bool ListValue::node_allows(const PackedList& node, size_t bytes, int64_t fill) {
  if (node.empty()) return true;  // a node takes at least one element, however large
  const size_t grown = node.used_bytes() + bytes + element_overhead_bytes;
  if (fill >= 0) {
    return node.size() < static_cast<size_t>(std::max<int64_t>(fill, 1)) &&
           grown <= constants::list_node_safety_bytes;
  }
  return grown <= node_bytes_limit(fill);
}

void ListValue::insert_node(size_t i) {
  RING_ASSERT(i <= node_count());
  if (i == 0 && head_ > 0) {
    --head_;
    return;
  }
  if (i == 0) {
    // No spare slot at the head: regrow with as many spare slots as there are nodes, so a run
    // of head pushes costs amortised O(1) per node.
    const size_t spare = std::max<size_t>(node_count(), 1);
    std::vector<PackedList> grown(spare + node_count());
    std::move(nodes_.begin() + static_cast<ptrdiff_t>(head_), nodes_.end(),
              grown.begin() + static_cast<ptrdiff_t>(spare));
    nodes_ = std::move(grown);
    head_ = spare - 1;
    return;
  }
  nodes_.insert(nodes_.begin() + static_cast<ptrdiff_t>(head_ + i), PackedList());
}

void ListValue::drop_node(size_t i) {
  RING_ASSERT(i < node_count() && node(i).empty());
  node_bytes_ -= node(i).allocated_bytes();
  if (i == 0) {
    node(0).clear();
    ++head_;
  } else {
    nodes_.erase(nodes_.begin() + static_cast<ptrdiff_t>(head_ + i));
  }
  if (head_ == nodes_.size()) {
    nodes_.clear();
    nodes_.shrink_to_fit();
    head_ = 0;
  }
}

void ListValue::push(ListEnd end, std::string_view value, int64_t fill) {
  const bool at_head = end == ListEnd::head;
  if (node_count() == 0 || !node_allows(node(at_head ? 0 : node_count() - 1), value.size(), fill)) {
    insert_node(at_head ? 0 : node_count());
  }
  change_node(at_head ? 0 : node_count() - 1, [&](PackedList& target) {
    if (at_head) {
      target.push_front(value);
    } else {
      target.push_back(value);
    }
  });
  ++count_;
}

std::string ListValue::pop(ListEnd end) {
  RING_ASSERT(count_ > 0);
  const size_t i = end == ListEnd::head ? 0 : node_count() - 1;
  std::string value;
  change_node(i, [&](PackedList& source) {
    const PackedList::Pos pos = end == ListEnd::head ? source.begin() : source.last();
    value = source.at(pos);
    source.erase(pos);
  });
  --count_;
  if (node(i).empty()) drop_node(i);
  return value;
}

std::pair<size_t, size_t> ListValue::locate(size_t index) const {
  RING_ASSERT(index < count_);
  if (index < count_ / 2) {
    for (size_t i = 0;; ++i) {
      if (index < node(i).size()) return {i, index};
      index -= node(i).size();
    }
  }
  size_t from_tail = count_ - 1 - index;  // 0: the last element
  for (size_t i = node_count() - 1;; --i) {
    if (from_tail < node(i).size()) return {i, node(i).size() - 1 - from_tail};
    from_tail -= node(i).size();
  }
}

std::string_view ListValue::at(size_t index) const {
  const auto [i, offset] = locate(index);
  return node(i).at(node(i).seek(static_cast<int64_t>(offset)));
}

void ListValue::set(size_t index, std::string_view value, int64_t fill) {
  const auto [i, found_offset] = locate(index);
  // A copy: lambdas may not capture structured bindings before C++20 as clang 14 implements it.
  const size_t offset = found_offset;
  change_node(i, [&](PackedList& target) {
    target.replace(target.seek(static_cast<int64_t>(offset)), value);
  });
  split_if_over(i, fill);
}

void ListValue::split_if_over(size_t i, int64_t fill) {
  const PackedList& full = node(i);
  if (full.size() < 2) return;
  // Over the limit when the node could not have taken its last element.
  PackedList without_last = full;
  without_last.erase(without_last.last());
  if (node_allows(without_last, full.at(full.last()).size(), fill)) return;
  const size_t keep = full.size() / 2;
  insert_node(i + 1);
  const PackedList& first = node(i);
  change_node(i + 1, [&](PackedList& second) {
    for (PackedList::Pos pos = first.seek(static_cast<int64_t>(keep)); pos != first.end();
         pos = first.next(pos)) {
      second.push_back(first.at(pos));
    }
  });
  change_node(i, [&](PackedList& shrunk) {
    shrunk.erase(shrunk.seek(static_cast<int64_t>(keep)), shrunk.size() - keep);
  });
}

bool ListValue::insert_at_pivot(std::string_view pivot, std::string_view value, bool after,
                                int64_t fill) {
  for (size_t i = 0; i < node_count(); ++i) {
    const PackedList::Pos pos = node(i).find(pivot);
    if (pos == node(i).end()) continue;
    change_node(i, [&](PackedList& current) {
      current.insert(after ? current.next(pos) : pos, value);
    });
    ++count_;
    split_if_over(i, fill);
    return true;
  }
  return false;
}

size_t ListValue::remove(std::string_view value, size_t limit, ListEnd from) {
  size_t removed = 0;
  const auto wanted = [&] { return limit == 0 || removed < limit; };
  const size_t nodes = node_count();
  for (size_t step = 0; step < nodes && wanted(); ++step) {
    const size_t i = from == ListEnd::head ? step : nodes - 1 - step;
    change_node(i, [&](PackedList& current) {
      if (from == ListEnd::head) {
        for (PackedList::Pos pos = current.begin(); pos != current.end() && wanted();) {
          if (current.at(pos) == value) {
            pos = current.erase(pos);
            ++removed;
          } else {
            pos = current.next(pos);
          }
        }
        return;
      }
      for (PackedList::Pos pos = current.end(); pos != current.begin() && wanted();) {
        pos = current.prev(pos);
        if (current.at(pos) == value) {
          current.erase(pos);
          ++removed;
        }
      }
    });
  }
  // Empty nodes go once the walk is over, so the node indexes above stayed valid.
  for (size_t i = node_count(); i-- > 0;) {
    if (node(i).empty()) drop_node(i);
  }
  count_ -= removed;
  return removed;
}

void ListValue::erase(ListEnd end, size_t count) {
  RING_ASSERT(count <= count_);
  while (count > 0) {
    const size_t i = end == ListEnd::head ? 0 : node_count() - 1;
    const size_t here = std::min(count, node(i).size());
    const int64_t first = end == ListEnd::head ? 0 : -static_cast<int64_t>(here);
    change_node(i, [&](PackedList& current) { current.erase(current.seek(first), here); });
    count -= here;
    count_ -= here;
    if (node(i).empty()) drop_node(i);
  }
}

void ListValue::visit(size_t first, bool backward,
                      const std::function<bool(size_t, std::string_view)>& visit) const {
  if (first >= count_) return;
  auto [i, offset] = locate(first);
  size_t index = first;
  PackedList::Pos pos = node(i).seek(static_cast<int64_t>(offset));
  while (true) {
    const PackedList& current = node(i);
    if (!visit(index, current.at(pos))) return;
    if (!backward) {
      if (++index == count_) return;
      pos = current.next(pos);
      if (pos == current.end()) pos = node(++i).begin();
    } else {
      if (index-- == 0) return;
      if (pos == current.begin()) {
        pos = node(--i).last();
      } else {
        pos = current.prev(pos);
      }
    }
  }
}

}  // namespace ringcache::store
