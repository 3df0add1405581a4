// ZsetTree: a treap with subtree counts plus a chained hash index over the same nodes.
// Tree recursion is bounded by the treap's depth, O(log n) with high probability because
// priorities are a seeded hash of the member.

#include "core/store/zset_tree.h"

#include <cstring>
#include <new>

#include "core/store/alloc_size.h"
#include "core/store/hash_table.h"
#include "core/util/assert.h"

namespace ringcache::store {
namespace {

using Node = ZsetTree::Node;

constexpr size_t initial_buckets = 4;

uint32_t subtree(const Node* node) { return node == nullptr ? 0 : node->size; }

void recount(Node* node) { node->size = subtree(node->left) + subtree(node->right) + 1; }

// Whether `a` is ordered before `b`. Inlined into every step of a descent: scores decide almost
// every comparison, so the member bytes are read only on a tie.
[[gnu::always_inline]] inline bool before(const Node* a, const Node* b) {
  if (a->score != b->score) return a->score < b->score;
  return a->member() < b->member();
}

// A rotation: the child on the `near` side of `top` takes its place, `top` becoming that
// child's `far` child (near = left: a right rotation).
template <Node* Node::*near, Node* Node::*far>
Node* lift(Node* top) {
  Node* child = top->*near;
  top->*near = child->*far;
  child->*far = top;
  recount(top);
  recount(child);
  return child;
}

Node* rotate_right(Node* top) { return lift<&Node::left, &Node::right>(top); }
Node* rotate_left(Node* top) { return lift<&Node::right, &Node::left>(top); }

// Number of members of `tree` ordered before the bound that `before(node)` describes (true when
// the node is before the bound); the tree is ordered so that `before` is monotone.
template <typename Before>
size_t count_before(const Node* tree, Before&& before) {
  size_t count = 0;
  while (tree != nullptr) {
    if (before(tree)) {
      count += subtree(tree->left) + 1;
      tree = tree->right;
    } else {
      tree = tree->left;
    }
  }
  return count;
}

}  // namespace

ZsetTree::ZsetTree(uint64_t seed) : seed_(seed), buckets_(initial_buckets, nullptr) {}

ZsetTree::~ZsetTree() {
  for (Node* head : buckets_) {
    while (head != nullptr) {
      Node* next = head->next;
      ::operator delete(head);
      head = next;
    }
  }
}

size_t ZsetTree::allocated_bytes() const {
  return node_bytes_ + malloc_chunk_bytes(buckets_.size() * sizeof(Node*));
}

uint64_t ZsetTree::hash(std::string_view member) const { return hash_bytes(member, seed_); }

ZsetTree::Node* ZsetTree::new_node(std::string_view member, double score) {
  RING_ASSERT(member.size() <= UINT32_MAX);
  void* memory = ::operator new(sizeof(Node) + member.size());
  Node* node = new (memory) Node{nullptr, nullptr, nullptr, score, 1,
                                 static_cast<uint32_t>(member.size())};
  if (!member.empty()) std::memcpy(node + 1, member.data(), member.size());
  node_bytes_ += malloc_chunk_bytes(sizeof(Node) + member.size());
  return node;
}

void ZsetTree::free_node(Node* node) {
  node_bytes_ -= malloc_chunk_bytes(sizeof(Node) + node->length);
  ::operator delete(node);
}

// --- hash index ----------------------------------------------------------------------------

ZsetTree::Node** ZsetTree::chain_link(std::string_view member, uint64_t h) {
  Node** link = &buckets_[h & (buckets_.size() - 1)];
  while (*link != nullptr && (*link)->member() != member) link = &(*link)->next;
  return link;
}

const ZsetTree::Node* ZsetTree::find(std::string_view member) const {
  const Node* node = buckets_[hash(member) & (buckets_.size() - 1)];
  while (node != nullptr && node->member() != member) node = node->next;
  return node;
}

void ZsetTree::index_insert(Node* node, uint64_t h) {
  Node*& head = buckets_[h & (buckets_.size() - 1)];
  node->next = head;
  head = node;
}

void ZsetTree::index_unlink(Node* node) {
  Node** link = chain_link(node->member(), hash(node->member()));
  RING_ASSERT(*link == node);
  *link = node->next;
}

// Grows past one member per bucket, shrinks below one per eight (as Redis' dict, without its
// incremental rehash: a resize re-links every member at once).
void ZsetTree::maybe_resize() {
  const size_t buckets = buckets_.size();
  if (count_ > buckets) {
    rehash(buckets * 2);
  } else if (buckets > initial_buckets && count_ * 8 < buckets) {
    size_t target = initial_buckets;
    while (target < count_) target *= 2;
    rehash(target);
  }
}

void ZsetTree::rehash(size_t bucket_count) {
  std::vector<Node*> old(bucket_count, nullptr);
  old.swap(buckets_);
  for (Node* head : old) {
    while (head != nullptr) {
      Node* next = head->next;
      index_insert(head, hash(head->member()));
      head = next;
    }
  }
}

// --- treap -----------------------------------------------------------------------------------

// Inserts `node` under `tree` by key, rotating it up while its priority beats its parent's. Only
// the subtrees `node` became the root of need a priority comparison, so few hashes are taken.
ZsetTree::Node* ZsetTree::tree_insert(Node* tree, Node* node, uint64_t node_priority) {
  if (tree == nullptr) return node;
  ++tree->size;
  if (before(node, tree)) {
    tree->left = tree_insert(tree->left, node, node_priority);
    if (tree->left == node && node_priority > priority(tree)) return rotate_right(tree);
  } else {
    tree->right = tree_insert(tree->right, node, node_priority);
    if (tree->right == node && node_priority > priority(tree)) return rotate_left(tree);
  }
  return tree;
}

ZsetTree::Node* ZsetTree::merge(Node* low, Node* high) {
  if (low == nullptr) return high;
  if (high == nullptr) return low;
  if (priority(low) > priority(high)) {
    low->right = merge(low->right, high);
    recount(low);
    return low;
  }
  high->left = merge(low, high->left);
  recount(high);
  return high;
}

// Removes `node` (present, asserted) from `tree`; returns the new subtree root.
ZsetTree::Node* ZsetTree::tree_detach(Node* tree, const Node* node) {
  RING_ASSERT_MSG(tree != nullptr, "detaching a member the tree does not hold");
  if (tree == node) return merge(tree->left, tree->right);
  --tree->size;
  if (before(node, tree)) {
    tree->left = tree_detach(tree->left, node);
  } else {
    tree->right = tree_detach(tree->right, node);
  }
  return tree;
}

void ZsetTree::split(Node* tree, size_t k, Node** low, Node** high) {
  if (tree == nullptr) {
    *low = *high = nullptr;
    return;
  }
  if (subtree(tree->left) >= k) {
    split(tree->left, k, low, &tree->left);
    recount(tree);
    *high = tree;
  } else {
    split(tree->right, k - subtree(tree->left) - 1, &tree->right, high);
    recount(tree);
    *low = tree;
  }
}

// --- operations ------------------------------------------------------------------------------

void ZsetTree::insert(std::string_view member, double score) {
  RING_ASSERT_MSG(find(member) == nullptr, "inserting a member twice");
  insert_hashed(member, score, hash(member));
}

void ZsetTree::insert_hashed(std::string_view member, double score, uint64_t h) {
  Node* node = new_node(member, score);
  root_ = tree_insert(root_, node, h);
  index_insert(node, h);
  ++count_;
  maybe_resize();
}

ZsetTree::Slot ZsetTree::locate(std::string_view member) {
  const uint64_t h = hash(member);
  return {*chain_link(member, h), h};
}

void ZsetTree::add(const Slot& slot, std::string_view member, double score) {
  RING_ASSERT(slot.node == nullptr);
  insert_hashed(member, score, slot.hash);
}

void ZsetTree::move(const Slot& slot, double score) {
  Node* node = slot.node;
  RING_ASSERT(node != nullptr);
  root_ = tree_detach(root_, node);
  node->score = score;
  node->left = node->right = nullptr;
  node->size = 1;
  root_ = tree_insert(root_, node, slot.hash);
}

bool ZsetTree::upsert(std::string_view member, double score) {
  const Slot slot = locate(member);
  if (slot.node == nullptr) {
    add(slot, member, score);
    return true;
  }
  move(slot, score);
  return false;
}

bool ZsetTree::erase(std::string_view member) {
  Node** link = chain_link(member, hash(member));
  Node* node = *link;
  if (node == nullptr) return false;
  *link = node->next;
  root_ = tree_detach(root_, node);
  free_node(node);
  --count_;
  maybe_resize();
  return true;
}

void ZsetTree::erase_range(size_t start, size_t end) {
  RING_ASSERT(start <= end && end <= count_);
  if (start == end) return;
  Node* low = nullptr;
  Node* rest = nullptr;
  Node* middle = nullptr;
  Node* high = nullptr;
  split(root_, start, &low, &rest);
  split(rest, end - start, &middle, &high);
  // Free the middle subtree without recursion: unlink left children into a worklist.
  std::vector<Node*> pending;
  if (middle != nullptr) pending.push_back(middle);
  while (!pending.empty()) {
    Node* node = pending.back();
    pending.pop_back();
    if (node->left != nullptr) pending.push_back(node->left);
    if (node->right != nullptr) pending.push_back(node->right);
    index_unlink(node);
    free_node(node);
  }
  count_ -= end - start;
  root_ = merge(low, high);
  maybe_resize();
}

size_t ZsetTree::rank(const Node* node) const {
  return count_before(root_, [node](const Node* at) { return before(at, node); });
}

const ZsetTree::Node* ZsetTree::select(size_t index) const {
  RING_ASSERT(index < count_);
  const Node* at = root_;
  while (true) {
    const size_t left = subtree(at->left);
    if (index == left) return at;
    if (index < left) {
      at = at->left;
    } else {
      index -= left + 1;
      at = at->right;
    }
  }
}

size_t ZsetTree::count_score_below(double score, bool or_equal) const {
  return count_before(root_, [score, or_equal](const Node* at) {
    return or_equal ? at->score <= score : at->score < score;
  });
}

size_t ZsetTree::count_member_below(std::string_view member, bool or_equal) const {
  return count_before(root_, [member, or_equal](const Node* at) {
    const int c = at->member().compare(member);
    return or_equal ? c <= 0 : c < 0;
  });
}

// In-order walk with an explicit stack holding the path from the root: O(log n) to reach
// `start`, then amortised O(1) per member.
void ZsetTree::visit(size_t start, size_t end, bool reverse,
                     const std::function<void(const Node&)>& visit) const {
  RING_ASSERT(start <= end && end <= count_);
  if (start == end) return;
  std::vector<const Node*> path;
  size_t index = reverse ? end - 1 : start;
  for (const Node* at = root_;;) {
    path.push_back(at);
    const size_t left = subtree(at->left);
    if (index == left) break;
    if (index < left) {
      at = at->left;
    } else {
      index -= left + 1;
      at = at->right;
    }
  }
  for (size_t remaining = end - start;;) {
    const Node* current = path.back();
    visit(*current);
    if (--remaining == 0) return;
    // The next member in the walk's direction: down the near side of the far subtree, or up to
    // the first ancestor reached from its near side.
    const Node* far = reverse ? current->left : current->right;
    if (far != nullptr) {
      for (const Node* at = far; at != nullptr; at = reverse ? at->right : at->left) {
        path.push_back(at);
      }
      continue;
    }
    const Node* child = current;
    path.pop_back();
    while ((reverse ? path.back()->left : path.back()->right) == child) {
      child = path.back();
      path.pop_back();
    }
  }
}

uint64_t ZsetTree::scan(uint64_t cursor, size_t count,
                        const std::function<void(const Node&)>& visit) const {
  const uint64_t mask = buckets_.size() - 1;
  do {
    for (const Node* node = buckets_[cursor & mask]; node != nullptr; node = node->next) {
      visit(*node);
    }
    cursor = detail::next_cursor(cursor, mask);
  } while (cursor != 0 && --count > 0);
  return cursor;
}

}  // namespace ringcache::store
