// IntSet: a sorted set of int64 in the narrowest width, checked against std::set, and the
// memory a small one takes.

// Project headers first: rapidcheck's RC_ASSERT must be the one defined last.
#include "core/store/alloc_size.h"
#include "core/store/int_set.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <cstring>
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
// Borrowed bytes (a set's room inside its entry): inserts and a widening happen in them while
// they fit; the first change that needs more copies the members out and leaves them as they were.
TEST(IntSet, WorksInBorrowedBytesUntilTheyAreTooFew) {
  IntSet source;
  for (int64_t value : {3, 1, 2}) source.insert(value);
  ASSERT_EQ(source.used_bytes(), 1 + 3 * sizeof(int16_t));
  char room[16];
  std::memcpy(room, source.data(), source.used_bytes());
  IntSet set = IntSet::borrow(room, source.used_bytes(), 3, sizeof(room));
  EXPECT_TRUE(set.insert(0));
  EXPECT_TRUE(set.insert(70000));  // widens to 4 bytes: 1 + 5 x 4 = 21 > 16, moves out
  EXPECT_FALSE(set.borrowed());
  EXPECT_EQ(contents(set), (std::vector<int64_t>{0, 1, 2, 3, 70000}));
  IntSet in_place = IntSet::borrow(room, 1 + 4 * sizeof(int16_t), 4, sizeof(room));
  EXPECT_EQ(contents(in_place), (std::vector<int64_t>{0, 1, 2, 3})) << "room kept the insert of 0";
  EXPECT_TRUE(in_place.insert(-4));
  EXPECT_TRUE(in_place.erase(2));
  EXPECT_TRUE(in_place.borrowed());
  EXPECT_EQ(in_place.data(), room);
  EXPECT_EQ(in_place.allocated_bytes(), 0u);
  EXPECT_EQ(contents(in_place), (std::vector<int64_t>{-4, 0, 1, 3}));
  EXPECT_TRUE(in_place.insert(40000));  // widens in place: 1 + 5 x 4 = 21 > 16, so it moves out
  EXPECT_FALSE(in_place.borrowed());
  EXPECT_EQ(contents(in_place), (std::vector<int64_t>{-4, 0, 1, 3, 40000}));
  EXPECT_EQ(contents(IntSet::borrow(room, 1 + 4 * sizeof(int16_t), 4, sizeof(room))),
            (std::vector<int64_t>{-4, 0, 1, 3}))
      << "the borrowed bytes stay as the last change made in them left them";
}

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
