#pragma once
// The full encoding of a sorted set ("skiplist" in OBJECT ENCODING, the name Redis gives its
// own): members ordered by (score, member bytes) in a counted B+tree (ZsetOrder), so rank,
// select-by-index and score/lex bounds take O(log n) and a range of m members O(log n + m);
// beside it a chained hash index from member to node for O(1) ZSCORE-like lookups.
//
// Memory: each member is ONE allocation holding the hash chain link, its score and its bytes
// (24 bytes + the member), plus its entry in a B+tree leaf (16 bytes, leaves at least a quarter
// and typically two thirds full) and 8 bytes of bucket per member at most. Redis spends a
// skiplist node, an sds and a dict entry per member (~100+ bytes).
//
// Nothing is random or ordered by address: the B+tree's shape follows from the operations, the
// hash index from the seed. Keys are unique, so the hash index and the order hold the same
// members.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "core/store/zset_order.h"

namespace ringcache::store {

class ZsetTree {
 public:
  using Node = ZsetMember;

  explicit ZsetTree(uint64_t seed);
  ~ZsetTree();
  ZsetTree(const ZsetTree&) = delete;
  ZsetTree& operator=(const ZsetTree&) = delete;

  size_t size() const { return count_; }
  // Nodes and buckets, as the allocator rounds them.
  size_t allocated_bytes() const;

  const Node* find(std::string_view member) const;
  // Where a member is or would go in the hash index: its node (nullptr when absent) and its
  // hash, so that a caller deciding from the current score looks the member up once.
  struct Slot {
    Node* node;
    uint64_t hash;
  };
  Slot locate(std::string_view member);
  // Adds the member `slot` (from locate(member), nothing changed since) found absent.
  void add(const Slot& slot, std::string_view member, double score);
  // Moves the member `slot` (from locate(), found present) to `score`.
  void move(const Slot& slot, double score);
  // Adds a member that is absent (asserted).
  void insert(std::string_view member, double score);
  // Adds `member` with `score`, or moves it to `score` when present (one hash and one chain
  // walk either way); returns whether it was added.
  bool upsert(std::string_view member, double score);
  // Removes a member; returns whether it was present.
  bool erase(std::string_view member);
  // Removes the members of ranks [start, end): one O(log n) descent per leaf emptied (see
  // ZsetOrder::erase_range).
  void erase_range(size_t start, size_t end);

  // 0-based position of a member of the tree in ascending order.
  size_t rank(const Node* node) const;
  // The member at ascending position `index` < size().
  const Node* select(size_t index) const;
  // Members ordered before `score` (score < it; or_equal: score <= it).
  size_t count_score_below(double score, bool or_equal) const;
  // Members ordered before `member` by bytes alone (member < it; or_equal: <=). Meaningful when
  // every score is equal, as ZRANGEBYLEX assumes.
  size_t count_member_below(std::string_view member, bool or_equal) const;

  // Visits ranks [start, end) ascending, or descending (end-1 first) when `reverse`.
  void visit(size_t start, size_t end, bool reverse,
             const std::function<void(const Node&)>& visit) const;
  // SCAN over the hash index with a reverse-binary cursor (a member present for the whole scan
  // is returned at least once across resizes); visits about `count` buckets; 0 = done.
  uint64_t scan(uint64_t cursor, size_t count, const std::function<void(const Node&)>& visit) const;

 private:
  uint64_t hash(std::string_view member) const;
  Node* new_node(std::string_view member, double score);
  // insert() for a member whose hash `h` is known.
  void insert_hashed(std::string_view member, double score, uint64_t h);
  void free_node(Node* node);

  Node** chain_link(std::string_view member, uint64_t h);
  void index_insert(Node* node, uint64_t h);  // h: hash(node->member())
  void index_unlink(Node* node);
  void maybe_resize();
  void rehash(size_t bucket_count);

  uint64_t seed_;
  ZsetOrder order_;
  size_t count_ = 0;
  size_t node_bytes_ = 0;
  std::vector<Node*> buckets_;  // a power of two
};

// Redis' order of sorted set members: by score, ties by member bytes.
inline int compare_score_member(double score_a, std::string_view a, double score_b,
                                std::string_view b) {
  if (score_a < score_b) return -1;
  if (score_a > score_b) return 1;
  const int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace ringcache::store
