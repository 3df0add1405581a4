// ZsetTree: the hash index over a sorted set's members, and their order (ZsetOrder).

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
  return node_bytes_ + order_.allocated_bytes() +
         malloc_chunk_bytes(buckets_.size() * sizeof(Node*));
}

uint64_t ZsetTree::hash(std::string_view member) const { return hash_bytes(member, seed_); }

ZsetTree::Node* ZsetTree::new_node(std::string_view member, double score) {
  RING_ASSERT(member.size() <= UINT32_MAX);
  void* memory = ::operator new(sizeof(Node) + member.size());
  Node* node = new (memory) Node{nullptr, score, static_cast<uint32_t>(member.size())};
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

// --- operations ------------------------------------------------------------------------------

void ZsetTree::insert(std::string_view member, double score) {
  RING_ASSERT_MSG(find(member) == nullptr, "inserting a member twice");
  insert_hashed(member, score, hash(member));
}

void ZsetTree::insert_hashed(std::string_view member, double score, uint64_t h) {
  Node* node = new_node(member, score);
  order_.insert(node);
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
  order_.erase(node);
  node->score = score;
  order_.insert(node);
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
  order_.erase(node);
  free_node(node);
  --count_;
  maybe_resize();
  return true;
}

void ZsetTree::erase_range(size_t start, size_t end) {
  order_.erase_range(start, end, [this](Node* node) {
    index_unlink(node);
    free_node(node);
  });
  count_ -= end - start;
  maybe_resize();
}

size_t ZsetTree::rank(const Node* node) const { return order_.rank(node); }

const ZsetTree::Node* ZsetTree::select(size_t index) const { return order_.select(index); }

size_t ZsetTree::count_score_below(double score, bool or_equal) const {
  return order_.count_before([score, or_equal](double at, const Node&) {
    return or_equal ? at <= score : at < score;
  });
}

size_t ZsetTree::count_member_below(std::string_view member, bool or_equal) const {
  return order_.count_before([member, or_equal](double, const Node& at) {
    const int c = at.member().compare(member);
    return or_equal ? c <= 0 : c < 0;
  });
}

void ZsetTree::visit(size_t start, size_t end, bool reverse,
                     const std::function<void(const Node&)>& visit) const {
  order_.visit(start, end, reverse, visit);
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
