// ZsetOrder: a counted B+tree over (score, member) entries. Every descent records its path (at
// most zset_order_height_max inner blocks), so splits, merges and key refreshes walk back up it
// without parent pointers.

#include "core/store/zset_order.h"

#include <algorithm>
#include <cstring>
#include <new>

#include "core/store/alloc_size.h"
#include "core/util/assert.h"

namespace ringcache::store {

using Member = ZsetMember;

// Leaves and inner blocks share the entry arrays: for a leaf an entry is a member (its score
// copied into `keys`), for an inner block the first entry of a child.
struct ZsetOrder::Block {
  uint16_t count;
  bool leaf;
  double keys[fanout];
  Member* members[fanout];
};

struct ZsetOrder::Leaf : Block {
  Leaf* prev;
  Leaf* next;
};

struct ZsetOrder::Inner : Block {
  Block* children[fanout];
  uint32_t sizes[fanout];  // members under each child
};

namespace {

// Whether entry (as, a) is ordered before (bs, b): by score, ties by member bytes.
[[gnu::always_inline]] inline bool less(double as, const Member* a, double bs, const Member* b) {
  if (as != bs) return as < bs;
  return a != b && a->member() < b->member();
}

// Number of leading entries of `block` for which `pred(i)` holds (true for a prefix).
template <typename Pred>
int partition(int count, Pred&& pred) {
  int low = 0;
  int high = count;
  while (low < high) {
    const int mid = (low + high) / 2;
    if (pred(mid)) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

}  // namespace

void ZsetOrder::shift(Block* block, int from, int to, int n) {
  std::memmove(&block->keys[to], &block->keys[from], n * sizeof(double));
  std::memmove(&block->members[to], &block->members[from], n * sizeof(Member*));
  if (block->leaf) return;
  Inner* inner = static_cast<Inner*>(block);
  std::memmove(&inner->children[to], &inner->children[from], n * sizeof(Block*));
  std::memmove(&inner->sizes[to], &inner->sizes[from], n * sizeof(uint32_t));
}

void ZsetOrder::copy(Block* dst, int to, const Block* src, int from, int n) {
  RING_ASSERT(dst->leaf == src->leaf);
  std::memcpy(&dst->keys[to], &src->keys[from], n * sizeof(double));
  std::memcpy(&dst->members[to], &src->members[from], n * sizeof(Member*));
  if (dst->leaf) return;
  Inner* d = static_cast<Inner*>(dst);
  const Inner* s = static_cast<const Inner*>(src);
  std::memcpy(&d->children[to], &s->children[from], n * sizeof(Block*));
  std::memcpy(&d->sizes[to], &s->sizes[from], n * sizeof(uint32_t));
}

size_t ZsetOrder::members_under(const Block* block) {
  if (block->leaf) return block->count;
  const Inner* inner = static_cast<const Inner*>(block);
  size_t total = 0;
  for (int i = 0; i < inner->count; ++i) total += inner->sizes[i];
  return total;
}

ZsetOrder::~ZsetOrder() {
  if (root_ == nullptr) return;
  // Iterative: a stack of blocks still to free, at most fanout per level.
  Block* pending[constants::zset_order_height_max * fanout + 1];
  int top = 0;
  pending[top++] = root_;
  while (top > 0) {
    Block* block = pending[--top];
    if (!block->leaf) {
      Inner* inner = static_cast<Inner*>(block);
      for (int i = 0; i < inner->count; ++i) pending[top++] = inner->children[i];
    }
    free_block(block);
  }
}

ZsetOrder::Leaf* ZsetOrder::new_leaf() {
  Leaf* leaf = new Leaf;
  leaf->count = 0;
  leaf->leaf = true;
  leaf->prev = leaf->next = nullptr;
  block_bytes_ += malloc_chunk_bytes(sizeof(Leaf));
  return leaf;
}

ZsetOrder::Inner* ZsetOrder::new_inner() {
  Inner* inner = new Inner;
  inner->count = 0;
  inner->leaf = false;
  block_bytes_ += malloc_chunk_bytes(sizeof(Inner));
  return inner;
}

void ZsetOrder::free_block(Block* block) {
  if (block->leaf) {
    block_bytes_ -= malloc_chunk_bytes(sizeof(Leaf));
    delete static_cast<Leaf*>(block);
  } else {
    block_bytes_ -= malloc_chunk_bytes(sizeof(Inner));
    delete static_cast<Inner*>(block);
  }
}

// --- descents --------------------------------------------------------------------------------

ZsetOrder::Leaf* ZsetOrder::descend_by_key(double score, const Member* member, int delta,
                                           Path& path) {
  Block* block = root_;
  path.depth = 0;
  while (!block->leaf) {
    Inner* inner = static_cast<Inner*>(block);
    // The last child whose first entry is not after the key (the first child for a new minimum).
    const int after = partition(inner->count, [&](int i) {
      return !less(score, member, inner->keys[i], inner->members[i]);
    });
    const int index = after == 0 ? 0 : after - 1;
    RING_ASSERT(path.depth < constants::zset_order_height_max);
    path.steps[path.depth++] = {inner, index};
    inner->sizes[index] += delta;
    block = inner->children[index];
  }
  return static_cast<Leaf*>(block);
}

ZsetOrder::Leaf* ZsetOrder::descend_by_rank(size_t& index, int delta, Path* path) const {
  RING_ASSERT(index < count_);
  Block* block = root_;
  if (path != nullptr) path->depth = 0;
  while (!block->leaf) {
    Inner* inner = static_cast<Inner*>(block);
    int child = 0;
    while (index >= inner->sizes[child]) index -= inner->sizes[child++];
    RING_ASSERT(child < inner->count);
    if (path != nullptr) path->steps[path->depth++] = {inner, child};
    inner->sizes[child] += delta;
    block = inner->children[child];
  }
  RING_ASSERT(index < block->count);
  return static_cast<Leaf*>(block);
}

void ZsetOrder::refresh_keys(const Path& path, int depth) {
  for (int d = depth - 1; d >= 0; --d) {
    const Step& step = path.steps[d];
    const Block* child = step.block->children[step.index];
    step.block->keys[step.index] = child->keys[0];
    step.block->members[step.index] = child->members[0];
    if (step.index != 0) return;
  }
}

// --- insert ----------------------------------------------------------------------------------

void ZsetOrder::insert(Member* member) {
  if (root_ == nullptr) root_ = new_leaf();
  Path path;
  Leaf* leaf = descend_by_key(member->score, member, 1, path);
  const int pos = partition(leaf->count, [&](int i) {
    return less(leaf->keys[i], leaf->members[i], member->score, member);
  });
  RING_ASSERT_MSG(pos == leaf->count || leaf->members[pos] != member, "inserting twice");
  shift(leaf, pos, pos + 1, leaf->count - pos);
  leaf->keys[pos] = member->score;
  leaf->members[pos] = member;
  ++leaf->count;
  ++count_;
  if (pos == 0) refresh_keys(path, path.depth);
  if (leaf->count == fanout) split_full(path, leaf, pos);
}

// Splits a full block in two, adding the upper part to its parent (a new root when it had
// none), and so on up while parents fill.
void ZsetOrder::split_full(Path& path, Block* block, int inserted_at) {
  while (block->count == fanout) {
    using constants::zset_order_fill_min;
    const int half = inserted_at == fanout - 1 ? fanout - zset_order_fill_min
                     : inserted_at == 0       ? zset_order_fill_min
                                              : fanout / 2;
    Block* upper;
    if (block->leaf) {
      Leaf* leaf = static_cast<Leaf*>(block);
      Leaf* right = new_leaf();
      right->prev = leaf;
      right->next = leaf->next;
      if (leaf->next != nullptr) leaf->next->prev = right;
      leaf->next = right;
      upper = right;
    } else {
      upper = new_inner();
    }
    copy(upper, 0, block, half, fanout - half);
    upper->count = fanout - half;
    block->count = half;
    const auto upper_members = static_cast<uint32_t>(members_under(upper));
    if (path.depth == 0) {
      Inner* root = new_inner();
      root->count = 2;
      root->children[0] = block;
      root->children[1] = upper;
      root->sizes[0] = static_cast<uint32_t>(members_under(block));
      root->sizes[1] = upper_members;
      for (int i = 0; i < 2; ++i) {
        root->keys[i] = root->children[i]->keys[0];
        root->members[i] = root->children[i]->members[0];
      }
      root_ = root;
      return;
    }
    const Step step = path.steps[--path.depth];
    Inner* parent = step.block;
    const int at = step.index + 1;
    shift(parent, at, at + 1, parent->count - at);
    parent->children[at] = upper;
    parent->sizes[at] = upper_members;
    parent->sizes[step.index] -= upper_members;
    parent->keys[at] = upper->keys[0];
    parent->members[at] = upper->members[0];
    ++parent->count;
    block = parent;
    inserted_at = at;
  }
}

// --- erase -----------------------------------------------------------------------------------

void ZsetOrder::erase(const Member* member) {
  RING_ASSERT(root_ != nullptr);
  Path path;
  Leaf* leaf = descend_by_key(member->score, member, -1, path);
  const int pos = partition(leaf->count, [&](int i) {
    return less(leaf->keys[i], leaf->members[i], member->score, member);
  });
  RING_ASSERT_MSG(pos < leaf->count && leaf->members[pos] == member,
                  "erasing a member the order does not hold");
  shift(leaf, pos + 1, pos, leaf->count - pos - 1);
  --leaf->count;
  --count_;
  if (pos == 0 && leaf->count > 0) refresh_keys(path, path.depth);
  rebalance(path, leaf);
}

void ZsetOrder::erase_range(size_t start, size_t end,
                            const std::function<void(Member*)>& removed) {
  RING_ASSERT(start <= end && end <= count_);
  while (start < end) {
    size_t pos = start;
    Path path;
    // Counts are fixed below, once the number taken from this leaf is known.
    Leaf* leaf = descend_by_rank(pos, 0, &path);
    const int take = static_cast<int>(std::min<size_t>(end - start, leaf->count - pos));
    for (int d = 0; d < path.depth; ++d) {
      path.steps[d].block->sizes[path.steps[d].index] -= take;
    }
    const int at = static_cast<int>(pos);
    for (int i = at; i < at + take; ++i) removed(leaf->members[i]);
    shift(leaf, at + take, at, leaf->count - at - take);
    leaf->count = static_cast<uint16_t>(leaf->count - take);
    count_ -= take;
    end -= take;
    if (at == 0 && leaf->count > 0) refresh_keys(path, path.depth);
    rebalance(path, leaf);
  }
}

// Restores the fill of `block` (the end of `path`) and of its ancestors: a block below
// zset_order_fill_min entries merges with a neighbour when both fit in one, else takes half of
// the neighbour's surplus. The root may be emptier; an inner root with one child gives way to
// it, an empty leaf root to nothing.
void ZsetOrder::rebalance(Path& path, Block* block) {
  while (path.depth > 0 && block->count < constants::zset_order_fill_min) {
    Step& step = path.steps[path.depth - 1];
    Inner* parent = step.block;
    RING_ASSERT(parent->count >= 2);
    const int left = step.index + 1 < parent->count ? step.index : step.index - 1;
    if (parent->children[left]->count + parent->children[left + 1]->count < fanout) {
      merge_into_left(parent, left);
      step.index = left;
      refresh_keys(path, path.depth);
      --path.depth;
      block = parent;
    } else {
      share(parent, left);
      return;
    }
  }
  if (path.depth > 0) return;
  if (!root_->leaf && root_->count == 1) {
    Block* child = static_cast<Inner*>(root_)->children[0];
    free_block(root_);
    root_ = child;
  } else if (root_->leaf && root_->count == 0) {
    free_block(root_);
    root_ = nullptr;
  }
}

void ZsetOrder::merge_into_left(Inner* parent, int left) {
  Block* low = parent->children[left];
  Block* high = parent->children[left + 1];
  copy(low, low->count, high, 0, high->count);
  low->count = static_cast<uint16_t>(low->count + high->count);
  if (low->leaf) {
    Leaf* gone = static_cast<Leaf*>(high);
    static_cast<Leaf*>(low)->next = gone->next;
    if (gone->next != nullptr) gone->next->prev = static_cast<Leaf*>(low);
  }
  parent->sizes[left] += parent->sizes[left + 1];
  shift(parent, left + 2, left + 1, parent->count - left - 2);
  --parent->count;
  free_block(high);
}

// Evens out two neighbours whose entries do not fit in one block.
void ZsetOrder::share(Inner* parent, int left) {
  Block* low = parent->children[left];
  Block* high = parent->children[left + 1];
  const int total = low->count + high->count;
  const int want_low = total / 2;
  size_t moved = 0;
  if (low->count < want_low) {
    const int n = want_low - low->count;
    copy(low, low->count, high, 0, n);
    shift(high, n, 0, high->count - n);
    low->count = static_cast<uint16_t>(want_low);
    high->count = static_cast<uint16_t>(total - want_low);
    for (int i = want_low - n; i < want_low; ++i) {
      moved += low->leaf ? 1 : static_cast<Inner*>(low)->sizes[i];
    }
    parent->sizes[left] += moved;
    parent->sizes[left + 1] -= moved;
  } else {
    const int n = low->count - want_low;
    shift(high, 0, n, high->count);
    copy(high, 0, low, want_low, n);
    low->count = static_cast<uint16_t>(want_low);
    high->count = static_cast<uint16_t>(total - want_low);
    for (int i = 0; i < n; ++i) moved += high->leaf ? 1 : static_cast<Inner*>(high)->sizes[i];
    parent->sizes[left] -= moved;
    parent->sizes[left + 1] += moved;
  }
  parent->keys[left + 1] = high->keys[0];
  parent->members[left + 1] = high->members[0];
}

// --- reads -----------------------------------------------------------------------------------

size_t ZsetOrder::rank(const Member* member) const {
  RING_ASSERT(root_ != nullptr);
  size_t rank = 0;
  const Block* block = root_;
  const double score = member->score;
  while (!block->leaf) {
    const Inner* inner = static_cast<const Inner*>(block);
    const int after = partition(inner->count, [&](int i) {
      return !less(score, member, inner->keys[i], inner->members[i]);
    });
    RING_ASSERT(after > 0);
    for (int i = 0; i < after - 1; ++i) rank += inner->sizes[i];
    block = inner->children[after - 1];
  }
  const int pos = partition(block->count, [&](int i) {
    return less(block->keys[i], block->members[i], score, member);
  });
  RING_ASSERT(pos < block->count && block->members[pos] == member);
  return rank + pos;
}

Member* ZsetOrder::select(size_t index) const {
  const Leaf* leaf = descend_by_rank(index, 0, nullptr);
  return leaf->members[index];
}

size_t ZsetOrder::count_before(const std::function<bool(double, const Member&)>& before) const {
  size_t count = 0;
  const Block* block = root_;
  while (block != nullptr && !block->leaf) {
    const Inner* inner = static_cast<const Inner*>(block);
    const int first_after = partition(
        inner->count, [&](int i) { return before(inner->keys[i], *inner->members[i]); });
    // Children whose first entry is before the bound: all but the last lie wholly before it.
    if (first_after == 0) return count;
    for (int i = 0; i < first_after - 1; ++i) count += inner->sizes[i];
    block = inner->children[first_after - 1];
  }
  if (block == nullptr) return 0;
  return count + partition(block->count,
                           [&](int i) { return before(block->keys[i], *block->members[i]); });
}

void ZsetOrder::visit(size_t start, size_t end, bool reverse,
                      const std::function<void(const Member&)>& visit) const {
  RING_ASSERT(start <= end && end <= count_);
  if (start == end) return;
  size_t pos = reverse ? end - 1 : start;
  const Leaf* leaf = descend_by_rank(pos, 0, nullptr);
  int at = static_cast<int>(pos);
  for (size_t remaining = end - start; remaining > 0; --remaining) {
    visit(*leaf->members[at]);
    if (remaining == 1) return;
    if (reverse) {
      if (--at < 0) {
        leaf = leaf->prev;
        at = leaf->count - 1;
      }
    } else if (++at == leaf->count) {
      leaf = leaf->next;
      at = 0;
    }
  }
}

}  // namespace ringcache::store
