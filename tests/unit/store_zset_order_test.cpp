// ZsetOrder, the counted B+tree under big sorted sets, against a std::set model: random inserts,
// erases and range erases over thousands of members (several levels of blocks, splits, merges
// and refills), then rank, select, bound counts and visits in both directions.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <vector>

#include "core/store/zset_order.h"
#include "core/util/rng.h"

namespace ringcache::store {
namespace {

// Members owned by the test; the order only points at them.
struct Members {
  std::vector<std::unique_ptr<char[]>> storage;
  ZsetMember* make(const std::string& name, double score) {
    storage.push_back(std::make_unique<char[]>(sizeof(ZsetMember) + name.size()));
    auto* member = new (storage.back().get())
        ZsetMember{nullptr, score, static_cast<uint32_t>(name.size())};
    std::memcpy(member + 1, name.data(), name.size());
    return member;
  }
};

struct ByKey {
  bool operator()(const ZsetMember* a, const ZsetMember* b) const {
    if (a->score != b->score) return a->score < b->score;
    return a->member() < b->member();
  }
};
using Model = std::set<ZsetMember*, ByKey>;

std::vector<const ZsetMember*> visited(const ZsetOrder& order, size_t start, size_t end,
                                       bool reverse) {
  std::vector<const ZsetMember*> out;
  order.visit(start, end, reverse, [&](const ZsetMember& m) { out.push_back(&m); });
  return out;
}

// Every read of the order agrees with the model.
void expect_agrees(const ZsetOrder& order, const Model& model, Rng& rng) {
  ASSERT_EQ(order.size(), model.size());
  const std::vector<const ZsetMember*> all(model.begin(), model.end());
  ASSERT_EQ(visited(order, 0, all.size(), false), all);
  for (size_t i = 0; i < all.size(); ++i) {
    ASSERT_EQ(order.rank(all[i]), i);
    ASSERT_EQ(order.select(i), all[i]);
  }
  if (all.empty()) return;
  const size_t start = rng.below(all.size());
  const size_t end = start + rng.below(all.size() - start) + 1;
  std::vector<const ZsetMember*> want(all.begin() + start, all.begin() + end);
  ASSERT_EQ(visited(order, start, end, false), want);
  std::reverse(want.begin(), want.end());
  ASSERT_EQ(visited(order, start, end, true), want);
  for (int probe = 0; probe < 20; ++probe) {
    const double bound = static_cast<double>(rng.below(200)) / 2;
    size_t below = 0;
    for (const ZsetMember* m : all) below += m->score < bound;
    ASSERT_EQ(order.count_before([&](double s, const ZsetMember&) { return s < bound; }), below);
  }
}

// One random run: `steps` operations over `names` member names with `scores` distinct scores
// (few scores: many ties ordered by member bytes).
void run(uint64_t seed, int steps, int names, int scores) {
  Rng rng(seed);
  Members members;
  ZsetOrder order;
  Model model;
  std::vector<ZsetMember*> by_name(names, nullptr);
  for (int step = 0; step < steps; ++step) {
    const auto name = static_cast<int>(rng.below(names));
    const uint64_t op = rng.below(100);
    ZsetMember*& held = by_name[name];
    if (op < 60) {  // add, or move to a new score as ZADD does
      const double score = static_cast<double>(rng.below(scores));
      if (held != nullptr) {
        order.erase(held);
        model.erase(held);
        held->score = score;
      } else {
        held = members.make("m" + std::to_string(name), score);
      }
      order.insert(held);
      ASSERT_TRUE(model.insert(held).second);
    } else if (op < 97) {
      if (held == nullptr) continue;
      order.erase(held);
      model.erase(held);
      held = nullptr;
    } else if (!model.empty()) {  // a range of ranks, short or long
      const size_t start = rng.below(model.size());
      const size_t limit = op == 99 ? model.size() - start : std::min<size_t>(80, model.size() - start);
      const size_t end = start + rng.below(limit + 1);
      std::vector<ZsetMember*> removed;
      order.erase_range(start, end, [&](ZsetMember* m) { removed.push_back(m); });
      const auto first = std::next(model.begin(), static_cast<ptrdiff_t>(start));
      const auto last = std::next(first, static_cast<ptrdiff_t>(end - start));
      ASSERT_EQ(removed, std::vector<ZsetMember*>(first, last));
      for (ZsetMember* m : removed) by_name[std::stoi(std::string(m->member().substr(1)))] = nullptr;
      model.erase(first, last);
    }
    if (step % 997 == 0) expect_agrees(order, model, rng);
  }
  expect_agrees(order, model, rng);
}

TEST(StoreZsetOrder, AgreesWithASetModelOverManyBlocks) { run(1, 60000, 5000, 1000000); }

TEST(StoreZsetOrder, AgreesWithASetModelWhenScoresTie) { run(2, 30000, 3000, 3); }

TEST(StoreZsetOrder, EmptiesAndRefills) {
  Rng rng(3);
  Members members;
  ZsetOrder order;
  Model model;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 20000; ++i) {
      ZsetMember* m = members.make("r" + std::to_string(round) + ":" + std::to_string(i),
                                  static_cast<double>(rng.below(1000)));
      order.insert(m);
      model.insert(m);
    }
    expect_agrees(order, model, rng);
    order.erase_range(0, order.size(), [](ZsetMember*) {});
    model.clear();
    EXPECT_EQ(order.size(), 0u);
    EXPECT_EQ(order.allocated_bytes(), 0u);
  }
}

RC_GTEST_PROP(StoreZsetOrder, AgreesWithASetModel, ()) {
  const auto seed = *rc::gen::arbitrary<uint64_t>();
  const int names = *rc::gen::inRange(1, 3000);
  const int scores = *rc::gen::inRange(1, 50);
  run(seed, 3000, names, scores);
  RC_ASSERT(!::testing::Test::HasFailure());
}

}  // namespace
}  // namespace ringcache::store
