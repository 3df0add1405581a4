// PackedList against a plain deque of strings: random inserts, erases, replaces and walks in both
// directions must agree, and the memory it reports must cover what it holds.

// Project headers first: rapidcheck's RC_ASSERT must be the one defined last.
#include "core/store/alloc_size.h"
#include "core/store/packed_list.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstring>
#include <deque>
#include <string>
#include <vector>

namespace ringcache::store {
namespace {

std::vector<std::string> forward(const PackedList& list) {
  std::vector<std::string> out;
  for (auto pos = list.begin(); pos != list.end(); pos = list.next(pos)) {
    out.emplace_back(list.at(pos));
  }
  return out;
}

std::vector<std::string> backward(const PackedList& list) {
  std::vector<std::string> out;
  for (auto pos = list.end(); pos != list.begin();) {
    pos = list.prev(pos);
    out.emplace_back(list.at(pos));
  }
  return {out.rbegin(), out.rend()};
}

TEST(PackedListTest, PushWalkAndSeek) {
  PackedList list;
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.last(), list.end());
  list.push_back("b");
  list.push_front("a");
  list.push_back(std::string(300, 'x'));  // two-byte length words
  list.push_back("");
  EXPECT_EQ(list.size(), 4u);
  EXPECT_EQ(forward(list), (std::vector<std::string>{"a", "b", std::string(300, 'x'), ""}));
  EXPECT_EQ(backward(list), forward(list));
  EXPECT_EQ(list.at(list.seek(1)), "b");
  EXPECT_EQ(list.at(list.seek(-1)), "");
  EXPECT_EQ(list.at(list.seek(-4)), "a");
  EXPECT_EQ(list.seek(4), list.end());
  EXPECT_EQ(list.seek(-5), list.end());
}

// A list over bytes it does not own (a collection's room inside its entry) works in them until
// they are too few, then copies its elements to a buffer of its own and leaves them untouched.
TEST(PackedListTest, BorrowedBytesAreUsedInPlaceThenLeftAsTheyWere) {
  char room[16];
  PackedList source;
  source.push_back("ab");
  source.push_back("cd");  // 2 x (1 + 2 + 1) = 8 bytes
  ASSERT_EQ(source.used_bytes(), 8u);
  std::memcpy(room, source.data(), source.used_bytes());
  {
    PackedList list = PackedList::borrow(room, 8, 2, sizeof(room));
    EXPECT_TRUE(list.borrowed());
    EXPECT_EQ(list.allocated_bytes(), 0u) << "the bytes are the entry's, counted with it";
    list.push_back("ef");  // 12 bytes: still fits
    EXPECT_TRUE(list.borrowed());
    EXPECT_EQ(list.data(), room);
    EXPECT_EQ(forward(list), (std::vector<std::string>{"ab", "cd", "ef"}));
    const std::string before(room, 12);
    list.shrink_to_fit();
    EXPECT_TRUE(list.borrowed()) << "borrowed bytes are never resized";
    list.push_back("ghij");  // 18 bytes: moves out
    EXPECT_FALSE(list.borrowed());
    EXPECT_NE(list.data(), room);
    EXPECT_GT(list.allocated_bytes(), 0u);
    EXPECT_EQ(std::string(room, 12), before) << "the borrowed bytes stay as they were";
    EXPECT_EQ(forward(list), (std::vector<std::string>{"ab", "cd", "ef", "ghij"}));
    EXPECT_EQ(backward(list), forward(list));
  }  // frees its own buffer, not `room` (the sanitizer build would see a bad free)
  PackedList cleared = PackedList::borrow(room, 8, 2, sizeof(room));
  cleared.clear();
  EXPECT_FALSE(cleared.borrowed());
  EXPECT_EQ(cleared.data(), nullptr);
  PackedList moved = PackedList::borrow(room, 8, 2, sizeof(room));
  PackedList owner = std::move(moved);
  EXPECT_TRUE(owner.borrowed()) << "a move carries the borrowing, not a copy";
  PackedList copy = owner;
  EXPECT_FALSE(copy.borrowed()) << "a copy owns its bytes";
  EXPECT_EQ(forward(copy), (std::vector<std::string>{"ab", "cd"}));
}

TEST(PackedListTest, FindWithStrideLooksOnlyAtFields) {
  PackedList hash;
  for (const char* word : {"f1", "v1", "v1", "f1", "f2", "v2"}) hash.push_back(word);
  EXPECT_EQ(hash.at(hash.find("f1", 0, 2)), "f1");
  EXPECT_EQ(hash.find("f1", 0, 2), hash.begin());
  EXPECT_EQ(hash.find("v1", 0, 2), hash.seek(2)) << "the value v1 at index 1 is skipped";
  EXPECT_EQ(hash.find("v2", 0, 2), hash.end());
}

TEST(PackedListTest, ShrinkToFitGivesBackTheGrowthRoomAndKeepsTheElements) {
  PackedList list;
  for (int i = 0; i < 5; ++i) list.push_back("field" + std::to_string(i) + "-0123456789");
  const size_t grown = list.allocated_bytes();
  list.shrink_to_fit();
  EXPECT_LT(list.allocated_bytes(), grown);
  EXPECT_EQ(list.allocated_bytes(), malloc_chunk_bytes(list.used_bytes()));
  EXPECT_EQ(list.at(list.seek(4)), "field4-0123456789");
  list.push_back("more");
  EXPECT_EQ(list.size(), 6u);
}

TEST(PackedListTest, ReplaceWithItsOwnBytes) {
  PackedList list;
  list.push_back("hello");
  list.push_back("world");
  // The new value views the buffer that the replace rewrites.
  list.replace(list.seek(1), list.at(list.seek(0)));
  list.insert(list.begin(), list.at(list.seek(1)));
  EXPECT_EQ(forward(list), (std::vector<std::string>{"hello", "hello", "hello"}));
}

RC_GTEST_PROP(PackedListProperty, AgreesWithADeque, ()) {
  PackedList list;
  std::deque<std::string> model;
  const int steps = *rc::gen::inRange(0, 200);
  for (int step = 0; step < steps; ++step) {
    const int op = *rc::gen::inRange(0, 5);
    // Short strings mostly, now and then one whose length words take two or three bytes.
    const auto length = *rc::gen::weightedOneOf<size_t>(
        {{8, rc::gen::inRange<size_t>(0, 10)}, {1, rc::gen::inRange<size_t>(120, 20000)}});
    const std::string value(length, static_cast<char>('a' + step % 26));
    if (op == 0 || model.empty()) {
      const auto index = *rc::gen::inRange<size_t>(0, model.size() + 1);
      list.insert(index == model.size() ? list.end() : list.seek(static_cast<int64_t>(index)),
                  value);
      model.insert(model.begin() + static_cast<std::ptrdiff_t>(index), value);
    } else if (op == 1) {
      const auto index = *rc::gen::inRange<size_t>(0, model.size());
      const auto count = *rc::gen::inRange<size_t>(1, model.size() - index + 1);
      list.erase(list.seek(static_cast<int64_t>(index)), count);
      model.erase(model.begin() + static_cast<std::ptrdiff_t>(index),
                  model.begin() + static_cast<std::ptrdiff_t>(index + count));
    } else if (op == 2) {
      const auto index = *rc::gen::inRange<size_t>(0, model.size());
      list.replace(list.seek(static_cast<int64_t>(index)), value);
      model[index] = value;
    } else if (op == 3) {
      const auto index = *rc::gen::inRange<int64_t>(-static_cast<int64_t>(model.size()),
                                                    static_cast<int64_t>(model.size()));
      const size_t at = index < 0 ? model.size() + static_cast<size_t>(index) : index;
      RC_ASSERT(std::string(list.at(list.seek(index))) == model[at]);
    } else {
      PackedList copy = list;
      list = std::move(copy);
    }
    RC_ASSERT(list.size() == model.size());
  }
  const std::vector<std::string> expected(model.begin(), model.end());
  RC_ASSERT(forward(list) == expected);
  RC_ASSERT(backward(list) == expected);
  RC_ASSERT(list.allocated_bytes() >= list.used_bytes());
}

}  // namespace
}  // namespace ringcache::store
