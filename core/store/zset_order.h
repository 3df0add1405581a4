#pragma once
// The order of a big sorted set's members: a counted B+tree of (score, member) entries. Leaves
// hold up to zset_order_fanout entries (the score inline, so a search reads contiguous doubles
// and touches a member's bytes only on a score tie); inner blocks hold, per child, the child's
// first entry and its number of members, so rank, select and bound counts descend by counts.
// A descent reads about log_16(n) blocks, a few cache lines each, where a binary tree misses
// the cache at every one of its ~2 log2(n) levels.
//
// The members themselves (ZsetMember) belong to the caller (ZsetTree, which also indexes them
// by hash); this class only orders pointers to them. Keys are unique: (score, member bytes).
// Nothing here is random or ordered by address, so the layout is a function of the operations.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "core/constants.h"

namespace ringcache::store {

// One member of a big sorted set: its hash chain link, score and bytes in one allocation.
struct ZsetMember {
  ZsetMember* next;  // hash chain
  double score;
  uint32_t length;
  std::string_view member() const {
    return {reinterpret_cast<const char*>(this + 1), length};
  }
};

class ZsetOrder {
 public:
  using Member = ZsetMember;

  ZsetOrder() = default;
  ~ZsetOrder();  // frees the blocks, never the members
  ZsetOrder(const ZsetOrder&) = delete;
  ZsetOrder& operator=(const ZsetOrder&) = delete;

  size_t size() const { return count_; }
  // The blocks, as the allocator rounds them.
  size_t allocated_bytes() const { return block_bytes_; }

  // Adds a member by its current score (its key must be absent).
  void insert(Member* member);
  // Removes a member held here, found by its current score.
  void erase(const Member* member);
  // Removes ranks [start, end), handing each removed member to `removed`. Each descent (about
  // log_16 n blocks) removes the rest of one leaf, at least a quarter of a block once past the
  // first, so m members cost O(m) member frees plus O(m / 8 + 2) descents: O(m + log n) while
  // log_16 n stays below 8, i.e. for any set that fits in memory, but not in the strict sense
  // a split-and-join range removal (Redis' skiplist) gives.
  void erase_range(size_t start, size_t end, const std::function<void(Member*)>& removed);

  // 0-based ascending position of a member held here.
  size_t rank(const Member* member) const;
  // The member at ascending position `index` < size().
  Member* select(size_t index) const;
  // Members ordered before a bound: `before(score, member)` says whether an entry lies before
  // it and must be true for a prefix of the order (false after its first false).
  size_t count_before(const std::function<bool(double, const Member&)>& before) const;
  // Visits ranks [start, end) ascending, or descending (end-1 first) when `reverse`.
  void visit(size_t start, size_t end, bool reverse,
             const std::function<void(const Member&)>& visit) const;

 private:
  static constexpr int fanout = constants::zset_order_fanout;
  struct Block;
  struct Leaf;
  struct Inner;
  // One level of a descent: the inner block and the child taken.
  struct Step {
    Inner* block;
    int index;
  };
  struct Path {
    Step steps[constants::zset_order_height_max];
    int depth = 0;
  };

  // Entry moves inside and between blocks of one kind (inner blocks carry children and sizes).
  static void shift(Block* block, int from, int to, int n);
  static void copy(Block* dst, int to, const Block* src, int from, int n);
  static size_t members_under(const Block* block);

  Leaf* new_leaf();
  Inner* new_inner();
  void free_block(Block* block);
  // Descends to the leaf where (score, member) is or would go, recording the path and adding
  // `delta` to the member count of every child taken.
  Leaf* descend_by_key(double score, const Member* member, int delta, Path& path);
  // Descends to the leaf holding rank `index`; `index` becomes the position in that leaf.
  Leaf* descend_by_rank(size_t& index, int delta, Path* path) const;
  // Copies the first entry of each changed child up the path (while it is a first child).
  void refresh_keys(const Path& path, int depth);
  // Splits `block` if full, and its parents as they fill; `inserted_at` is the position just
  // filled, so that a set filled in order (always at an end) leaves blocks 3/4 full, not half.
  void split_full(Path& path, Block* block, int inserted_at);
  void rebalance(Path& path, Block* block);
  void merge_into_left(Inner* parent, int left);
  void share(Inner* parent, int left);

  Block* root_ = nullptr;
  size_t count_ = 0;
  size_t block_bytes_ = 0;
};

}  // namespace ringcache::store
