// IntSet: a sorted set of int64 in the narrowest width, checked against std::set, and the
// memory a small one takes.

// Project headers first: rapidcheck's RC_ASSERT must be the one defined last.
#include "core/store/alloc_size.h"
#include "core/store/int_set.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <limits>
#include <set>
#include <vector>

namespace ringcache::store {
namespace {

std::vector<int64_t> contents(const IntSet& set) {
  std::vector<int64_t> out;
  set.for_each([&](int64_t value) { out.push_back(value); });
  return out;
}

TEST(IntSet, KeepsMembersSortedAndWidensForBigOnes) {
  IntSet set;
  EXPECT_EQ(set.allocated_bytes(), 0u);
  for (int64_t value : {10, -5, 0, 10, 300}) set.insert(value);
  EXPECT_EQ(contents(set), (std::vector<int64_t>{-5, 0, 10, 300}));
  set.shrink_to_fit();
  EXPECT_EQ(set.allocated_bytes(), malloc_chunk_bytes(1 + 4 * 2)) << "16-bit members";
  constexpr int64_t big = std::numeric_limits<int64_t>::max();
  constexpr int64_t low = std::numeric_limits<int32_t>::min();
  EXPECT_TRUE(set.insert(low));
  EXPECT_TRUE(set.insert(big));
  EXPECT_FALSE(set.insert(big));
  EXPECT_EQ(contents(set), (std::vector<int64_t>{low, -5, 0, 10, 300, big}));
  EXPECT_TRUE(set.erase(big));
  EXPECT_FALSE(set.erase(big));
  EXPECT_TRUE(set.contains(low));
  EXPECT_FALSE(set.contains(11));
  set.shrink_to_fit();
  EXPECT_EQ(set.allocated_bytes(), malloc_chunk_bytes(1 + 5 * 8)) << "the width never shrinks";
  set.clear();
  EXPECT_EQ(set.size(), 0u);
  EXPECT_EQ(set.allocated_bytes(), 0u);
}

// Five small members, as in bench/memory-types.sh: 11 bytes, the smallest chunk.
TEST(IntSet, FiveSmallMembersTakeTheSmallestChunk) {
  IntSet set;
  for (int64_t value = 1; value <= 5; ++value) set.insert(value);
  set.shrink_to_fit();
  EXPECT_EQ(set.allocated_bytes(), 32u);
}

RC_GTEST_PROP(IntSet, BehavesLikeAStdSet, ()) {
  IntSet set;
  std::set<int64_t> model;
  const auto values = *rc::gen::container<std::vector<int64_t>>(rc::gen::oneOf(
      rc::gen::inRange<int64_t>(-40, 40),
      rc::gen::cast<int64_t>(rc::gen::arbitrary<int16_t>()),
      rc::gen::cast<int64_t>(rc::gen::arbitrary<int32_t>()), rc::gen::arbitrary<int64_t>()));
  for (int64_t value : values) {
    if (*rc::gen::inRange(0, 3) == 0) {
      RC_ASSERT(set.erase(value) == (model.erase(value) == 1));
    } else {
      RC_ASSERT(set.insert(value) == model.insert(value).second);
    }
    RC_ASSERT(set.size() == model.size());
  }
  RC_ASSERT(contents(set) == std::vector<int64_t>(model.begin(), model.end()));
  for (int64_t value : values) RC_ASSERT(set.contains(value) == (model.count(value) == 1));
}

}  // namespace
}  // namespace ringcache::store
