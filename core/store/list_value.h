#pragma once
// The value of a list key: a sequence of PackedList nodes (Redis' quicklist), each holding as
// many elements as list-max-listpack-size allows (> 0: that many elements; -1..-5: 4..64 KiB of
// node bytes). Both ends are O(1) to push and pop; an index is found by skipping whole nodes.
// OBJECT ENCODING is "quicklist" whatever the size, as in Redis 7.0.
//
// Elements are addressed by index, 0 at the head; the callers (core/commands/list/lists.cpp) turn
// Redis' negative indexes into these.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/store/collection.h"
#include "core/store/packed_list.h"

namespace ringcache::store {

enum class ListEnd : uint8_t { head, tail };

class ListValue final : public CollectionOf<ListValue> {
 public:
  // `fill` is list-max-listpack-size; every call that adds elements takes the current one.
  ListValue() = default;

  ValueType type() const override { return ValueType::list; }
  size_t size() const override { return count_; }
  const char* encoding() const override { return "quicklist"; }
  size_t allocated_bytes() const override;
  void rebuild(std::string_view key, const RebuildSink& emit) const override;

  void push(ListEnd end, std::string_view value, int64_t fill);
  // Removes and returns the element at `end`; the list must not be empty.
  std::string pop(ListEnd end);
  // The element at `index` (< size()).
  std::string_view at(size_t index) const;
  // Replaces the element at `index` (< size()).
  void set(size_t index, std::string_view value, int64_t fill);
  // Inserts `value` before (or after) the first element equal to `pivot`; false when absent.
  bool insert_at_pivot(std::string_view pivot, std::string_view value, bool after, int64_t fill);
  // Removes up to `limit` elements equal to `value` (0: all), from the head or from the tail.
  size_t remove(std::string_view value, size_t limit, ListEnd from);
  // Removes `count` elements at `end`.
  void erase(ListEnd end, size_t count);
  // Calls `visit(index, element)` from element `first` towards the tail (or, `backward`, from
  // element `first` towards the head) until it returns false or the list ends.
  void visit(size_t first, bool backward,
             const std::function<bool(size_t, std::string_view)>& visit) const;

  // Nodes in use (tests check the fill rule).
  size_t node_count() const { return nodes_.size() - head_; }

 private:
  // Whether a node holding `node` may also take an element of `bytes` bytes under `fill`.
  static bool node_allows(const PackedList& node, size_t bytes, int64_t fill);
  // Splits node `i` in two halves when it went past `fill`.
  void split_if_over(size_t i, int64_t fill);
  // The node holding element `index` and the element's index inside it.
  std::pair<size_t, size_t> locate(size_t index) const;
  PackedList& node(size_t i) { return nodes_[head_ + i]; }
  const PackedList& node(size_t i) const { return nodes_[head_ + i]; }
  // Inserts an empty node at node position `i` (0 .. node_count()).
  void insert_node(size_t i);
  // Drops node `i`, which must be empty.
  void drop_node(size_t i);
  // Runs `change(node)` on node `i`, keeping node_bytes_ right (so allocated_bytes(), called
  // after every write, costs O(1) however many nodes a long list has).
  template <typename Change>
  void change_node(size_t i, Change&& change) {
    node_bytes_ -= node(i).allocated_bytes();
    change(node(i));
    node_bytes_ += node(i).allocated_bytes();
  }

  // nodes_[head_ ..] are the list's nodes; the slots before head_ are spare room so a node can
  // be added at the head in O(1) (amortised), as at the tail.
  std::vector<PackedList> nodes_;
  size_t head_ = 0;
  size_t count_ = 0;
  size_t node_bytes_ = 0;  // the nodes' allocated_bytes(), summed
};

}  // namespace ringcache::store
