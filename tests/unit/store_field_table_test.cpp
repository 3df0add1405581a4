// FieldTable: a model check against std::map through random inserts, updates and deletes (with
// growth, shrinking and backward-shift deletion), fields sharing hash tags, scans that survive
// resizing, and accounting.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "core/store/field_table.h"
#include "core/util/rng.h"

namespace ringcache::store {
namespace {

std::map<std::string, std::string> contents(const FieldTable& table) {
  std::map<std::string, std::string> out;
  table.for_each([&](const FieldTable::Item& item) {
    EXPECT_TRUE(out.emplace(item.field, item.value).second) << "field twice: " << item.field;
  });
  return out;
}

TEST(FieldTable, MatchesAMapThroughRandomWrites) {
  Rng rng(11);
  FieldTable table(rng.next_u64());
  std::map<std::string, std::string> model;
  for (int step = 0; step < 20000; ++step) {
    // Few distinct fields early on, many later: the table grows, then shrinks when erased.
    const uint64_t range = step < 15000 ? 2000 : 40;
    const std::string field = "f" + std::to_string(rng.below(range));
    if (rng.chance(step < 10000 ? 0.7 : 0.2)) {
      const std::string value(rng.below(40), static_cast<char>('a' + rng.below(26)));
      EXPECT_EQ(table.set(field, value), model.count(field) == 0);
      model[field] = value;
    } else {
      EXPECT_EQ(table.erase(field), model.erase(field) == 1);
    }
    ASSERT_EQ(table.size(), model.size());
  }
  EXPECT_EQ(contents(table), model);
  for (const auto& [field, value] : model) {
    const char* element = table.find(field);
    ASSERT_NE(element, nullptr);
    EXPECT_EQ(FieldTable::item(element).value, value);
  }
  EXPECT_EQ(table.find("absent"), nullptr);
}

// Slots carry 16 bits of their element's hash: with far more than 2^16 fields many share those
// bits (some within one probe run), and a lookup must still tell them apart by their bytes.
TEST(FieldTable, FieldsSharingHashTagsStayDistinct) {
  constexpr int fields = 300000;
  FieldTable table(Rng(5).next_u64());
  for (int i = 0; i < fields; ++i) {
    ASSERT_TRUE(table.set("m" + std::to_string(i), std::to_string(i)));
  }
  for (int i = 0; i < fields; i += 2) ASSERT_TRUE(table.erase("m" + std::to_string(i)));
  ASSERT_EQ(table.size(), static_cast<size_t>(fields / 2));
  for (int i = 0; i < fields; ++i) {
    const char* element = table.find("m" + std::to_string(i));
    if (i % 2 == 0) {
      ASSERT_EQ(element, nullptr) << i;
    } else {
      ASSERT_NE(element, nullptr) << i;
      ASSERT_EQ(FieldTable::item(element).value, std::to_string(i));
    }
  }
  EXPECT_FALSE(table.set("m1", "updated"));
  EXPECT_EQ(FieldTable::item(table.find("m1")).value, "updated");
}

TEST(FieldTable, ScanReturnsEveryElementPresentThroughoutDespiteResizing) {
  Rng rng(5);
  FieldTable table(rng.next_u64());
  for (int i = 0; i < 100; ++i) table.set("stay" + std::to_string(i), "v");
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int round = 0;
  do {
    cursor = table.scan(cursor, [&](const FieldTable::Item& item) { seen.emplace(item.field); });
    // Grow then shrink the table between steps with elements that come and go.
    const std::string churn = "churn" + std::to_string(round++);
    if (round < 40) {
      for (int i = 0; i < 20; ++i) table.set(churn + "." + std::to_string(i), "x");
    } else {
      for (int r = 0; r < 40; ++r) {
        for (int i = 0; i < 20; ++i) table.erase("churn" + std::to_string(r) + "." + std::to_string(i));
      }
    }
  } while (cursor != 0);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(seen.count("stay" + std::to_string(i))) << i;
}

TEST(FieldTable, RandomReachesEveryElementAndAccountingFollowsSize) {
  Rng rng(3);
  FieldTable table(rng.next_u64());
  const size_t empty_bytes = table.allocated_bytes();
  for (int i = 0; i < 10; ++i) table.set("f" + std::to_string(i), std::string(100, 'v'));
  EXPECT_GE(table.allocated_bytes(), empty_bytes + 10 * 100);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.emplace(table.random(rng).field);
  EXPECT_EQ(seen.size(), 10u);
  for (int i = 0; i < 10; ++i) table.erase("f" + std::to_string(i));
  EXPECT_EQ(table.allocated_bytes(), empty_bytes);
}

}  // namespace
}  // namespace ringcache::store
