// ListValue: the quicklist of PackedList nodes behind list keys, checked against a std::deque
// model, plus its node fill rule and its rebuild commands.

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "core/constants.h"
#include "core/store/list_value.h"
#include "core/util/rng.h"

namespace ringcache::store {
namespace {

std::vector<std::string> contents(const ListValue& list) {
  std::vector<std::string> out;
  list.visit(0, false, [&](size_t, std::string_view element) {
    out.emplace_back(element);
    return true;
  });
  return out;
}

std::vector<std::string> as_vector(const std::deque<std::string>& model) {
  return {model.begin(), model.end()};
}

TEST(ListValue, PushPopBothEnds) {
  ListValue list;
  list.push(ListEnd::tail, "b", -2);
  list.push(ListEnd::head, "a", -2);
  list.push(ListEnd::tail, "c", -2);
  EXPECT_EQ(list.size(), 3u);
  EXPECT_STREQ(list.encoding(), "quicklist");
  EXPECT_EQ(contents(list), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(list.pop(ListEnd::tail), "c");
  EXPECT_EQ(list.pop(ListEnd::head), "a");
  EXPECT_EQ(list.pop(ListEnd::head), "b");
  EXPECT_EQ(list.size(), 0u);
  EXPECT_EQ(list.node_count(), 0u);
}

TEST(ListValue, NodesFollowTheFillRule) {
  ListValue by_count;
  for (int i = 0; i < 10; ++i) by_count.push(ListEnd::tail, "x", 3);
  EXPECT_EQ(by_count.node_count(), 4u);  // 3 + 3 + 3 + 1
  ListValue by_bytes;
  const std::string big(1000, 'y');
  for (int i = 0; i < 10; ++i) by_bytes.push(ListEnd::head, big, -1);  // 4 KiB nodes
  EXPECT_EQ(by_bytes.node_count(), 3u);  // 4 + 4 + 2 elements of ~1 KiB
  // An element larger than a node still goes in (alone).
  ListValue huge;
  huge.push(ListEnd::tail, std::string(10000, 'z'), -1);
  huge.push(ListEnd::tail, std::string(10000, 'z'), -1);
  EXPECT_EQ(huge.node_count(), 2u);
}

TEST(ListValue, MatchesADequeUnderRandomOperations) {
  Rng rng(42);
  for (int64_t fill : {1, 2, 5, -1}) {
    ListValue list;
    std::deque<std::string> model;
    const auto pick = [&](size_t lo, size_t hi) {
      return static_cast<size_t>(rng.between(static_cast<int64_t>(lo), static_cast<int64_t>(hi)));
    };
    for (int step = 0; step < 4000; ++step) {
      const std::string value(pick(0, 300), static_cast<char>('a' + pick(0, 3)));
      const uint64_t op = pick(0, 7);
      if (op <= 1) {
        list.push(op == 0 ? ListEnd::head : ListEnd::tail, value, fill);
        op == 0 ? model.push_front(value) : model.push_back(value);
      } else if (op == 2 && !model.empty()) {
        EXPECT_EQ(list.pop(ListEnd::head), model.front());
        model.pop_front();
      } else if (op == 3 && !model.empty()) {
        EXPECT_EQ(list.pop(ListEnd::tail), model.back());
        model.pop_back();
      } else if (op == 4 && !model.empty()) {
        const size_t index = pick(0, model.size() - 1);
        list.set(index, value, fill);
        model[index] = value;
      } else if (op == 5 && !model.empty()) {
        const std::string pivot = model[pick(0, model.size() - 1)];
        const bool after = pick(0, 1) == 1;
        ASSERT_TRUE(list.insert_at_pivot(pivot, value, after, fill));
        auto at = std::find(model.begin(), model.end(), pivot);
        model.insert(after ? at + 1 : at, value);
      } else if (op == 6 && !model.empty()) {
        const std::string target = model[pick(0, model.size() - 1)];
        const size_t limit = pick(0, 2);
        const bool from_tail = pick(0, 1) == 1;
        size_t removed = 0;
        if (!from_tail) {
          for (auto it = model.begin(); it != model.end() && (limit == 0 || removed < limit);) {
            if (*it == target) {
              it = model.erase(it);
              ++removed;
            } else {
              ++it;
            }
          }
        } else {
          for (size_t i = model.size(); i-- > 0 && (limit == 0 || removed < limit);) {
            if (model[i] == target) {
              model.erase(model.begin() + static_cast<ptrdiff_t>(i));
              ++removed;
            }
          }
        }
        EXPECT_EQ(list.remove(target, limit, from_tail ? ListEnd::tail : ListEnd::head), removed);
      } else if (op == 7 && model.size() > 2) {
        const size_t head = pick(0, 2);
        const size_t tail = pick(0, model.size() - head - 1);
        list.erase(ListEnd::head, head);
        list.erase(ListEnd::tail, tail);
        model.erase(model.begin(), model.begin() + static_cast<ptrdiff_t>(head));
        model.erase(model.end() - static_cast<ptrdiff_t>(tail), model.end());
      }
      ASSERT_EQ(list.size(), model.size());
    }
    EXPECT_EQ(contents(list), as_vector(model));
    for (size_t i = 0; i < model.size(); i += 7) EXPECT_EQ(list.at(i), model[i]);
    // The running byte count comes back to an empty list's once everything is gone.
    list.erase(ListEnd::head, list.size());
    EXPECT_EQ(list.allocated_bytes(), ListValue().allocated_bytes());
  }
}

TEST(ListValue, VisitsBackwardFromAnIndex) {
  ListValue list;
  for (char c = 'a'; c <= 'j'; ++c) list.push(ListEnd::tail, std::string(1, c), 2);
  std::string seen;
  list.visit(6, true, [&](size_t index, std::string_view element) {
    seen += element;
    return index > 2;
  });
  EXPECT_EQ(seen, "gfedc");
}

TEST(ListValue, RebuildsInBoundedRpushBatches) {
  ListValue list;
  const size_t count = constants::rebuild_items_per_command_max * 2 + 3;
  for (size_t i = 0; i < count; ++i) list.push(ListEnd::tail, std::to_string(i), -2);
  std::vector<std::string> replayed;
  size_t commands = 0;
  list.rebuild("k", [&](std::span<const std::string_view> argv) {
    ++commands;
    ASSERT_GE(argv.size(), 3u);
    EXPECT_EQ(argv[0], "RPUSH");
    EXPECT_EQ(argv[1], "k");
    EXPECT_LE(argv.size() - 2, constants::rebuild_items_per_command_max);
    for (size_t i = 2; i < argv.size(); ++i) replayed.emplace_back(argv[i]);
  });
  EXPECT_EQ(commands, 3u);
  EXPECT_EQ(replayed, contents(list));
}

TEST(ListValue, AllocatedBytesGrowWithElements) {
  ListValue list;
  const size_t empty = list.allocated_bytes();
  for (int i = 0; i < 1000; ++i) list.push(ListEnd::tail, "0123456789", -2);
  EXPECT_GT(list.allocated_bytes(), empty + 1000 * 10);
  EXPECT_LT(list.allocated_bytes(), empty + 1000 * 24);
}

}  // namespace
}  // namespace ringcache::store
