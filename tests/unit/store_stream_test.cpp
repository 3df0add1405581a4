// The stream store: IDs (parsing, order, next/previous), blocks and their Redis-compatible node
// boundaries, and the stream log against a model under random appends, deletions and trims.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/store/stream_block.h"
#include "core/store/stream_id.h"
#include "core/store/stream_log.h"
#include "core/store/stream_value.h"

namespace ringcache::store {
namespace {

using Items = std::vector<std::string>;
using Model = std::map<StreamId, Items>;

std::vector<std::string_view> views(const Items& items) { return {items.begin(), items.end()}; }

Model contents(const StreamLog& log, bool reverse = false) {
  Model out;
  std::vector<StreamId> order;
  log.range(StreamId::min(), StreamId::max(), reverse,
            [&](StreamId id, std::span<const std::string_view> items) {
              out[id] = Items(items.begin(), items.end());
              order.push_back(id);
              return true;
            });
  for (size_t i = 1; i < order.size(); ++i) {
    EXPECT_EQ(order[i - 1] < order[i], !reverse) << "range order";
  }
  return out;
}

TEST(StreamId, ParsesRedisForms) {
  const auto parsed = parse_stream_id("5-3", 0, true);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->id, (StreamId{5, 3}));
  EXPECT_EQ(parse_stream_id("5", 7, true)->id, (StreamId{5, 7}));
  EXPECT_EQ(parse_stream_id("18446744073709551615-18446744073709551615", 0, true)->id,
            StreamId::max());
  EXPECT_EQ(parse_stream_id("-", 0, false)->id, StreamId::min());
  EXPECT_EQ(parse_stream_id("+", 0, false)->id, StreamId::max());
  EXPECT_FALSE(parse_stream_id("-", 0, true)) << "strict refuses the ends";
  EXPECT_FALSE(parse_stream_id("5-*", 0, true)) << "only XADD takes ms-*";
  const auto star = parse_stream_id("5-*", 0, true, true);
  ASSERT_TRUE(star);
  EXPECT_FALSE(star->seq_given);
  for (const char* bad : {"", "x", "1-", "-1", "1-x", "18446744073709551616", "1-2-3", " 1"}) {
    EXPECT_FALSE(parse_stream_id(bad, 0, true)) << bad;
  }
  EXPECT_FALSE(parse_stream_id(std::string(128, '1'), 0, true)) << "longer than Redis' buffer";
}

TEST(StreamId, NextAndPreviousCarryAcrossTheParts) {
  EXPECT_EQ(*(StreamId{1, UINT64_MAX}.next()), (StreamId{2, 0}));
  EXPECT_EQ(*(StreamId{2, 0}.previous()), (StreamId{1, UINT64_MAX}));
  EXPECT_FALSE(StreamId::max().next());
  EXPECT_FALSE(StreamId::min().previous());
}

RC_GTEST_PROP(StreamIdProperty, TextRoundTripsAndOrderIsLexicographicOnParts,
              (uint64_t ms, uint64_t seq, uint64_t ms2, uint64_t seq2)) {
  const StreamId a{ms, seq};
  const StreamId b{ms2, seq2};
  RC_ASSERT(parse_stream_id(a.to_string(), 0, true)->id == a);
  RC_ASSERT((a < b) == (ms < ms2 || (ms == ms2 && seq < seq2)));
  if (const auto next = a.next()) RC_ASSERT(*next->previous() == a);
}

TEST(StreamBlock, KeepsFieldsOnceForEntriesWithTheSameFields) {
  const Items first{"field", "1", "other", "x"};
  StreamBlock block(StreamId{1, 0}, views(first));
  const size_t one = block.allocated_bytes();
  for (uint64_t seq = 1; seq < 50; ++seq) block.append({1, seq}, views(first));
  block.shrink_to_fit();
  EXPECT_LT(block.allocated_bytes() - one, 50u * 8) << "values and deltas only";
  std::vector<std::string_view> items;
  const auto positions = block.positions();
  ASSERT_EQ(positions.size(), 50u);
  block.items_at(positions[49], items);
  EXPECT_EQ(Items(items.begin(), items.end()), first);
  EXPECT_EQ(positions[49].id, (StreamId{1, 49}));
}

TEST(StreamBlock, StartsNewNodesWhereRedisDoes) {
  // Redis' node for one entry "xitem v": 7 bytes of listpack, master counters and fields, then
  // per entry flags, two deltas, one value and lp-count: a node reaches 100 entries first.
  StreamLog log;
  const Items item{"xitem", "v"};
  for (uint64_t ms = 1; ms <= 250; ++ms) log.append({ms, 0}, views(item), {4096, 100});
  EXPECT_EQ(log.block_count(), 3u);
  StreamLog small;
  for (uint64_t ms = 1; ms <= 10; ++ms) small.append({ms, 0}, views(item), {4096, 1});
  EXPECT_EQ(small.block_count(), 10u);
  // By bytes: 500-byte values fill a 4096-byte node after a few entries.
  StreamLog big;
  const Items large{"f", std::string(500, 'x')};
  for (uint64_t ms = 1; ms <= 20; ++ms) big.append({ms, 0}, views(large), {4096, 100});
  EXPECT_EQ(big.block_count(), 3u) << "seven 500-byte entries per node, as Redis";
}

TEST(StreamLog, ApproximateTrimsDropWholeBlocksOnly) {
  StreamLog log;
  const Items item{"xitem", "v"};
  for (uint64_t ms = 1; ms <= 100; ++ms) log.append({ms, 0}, views(item), {4096, 10});
  StreamTrim trim;
  trim.strategy = StreamTrim::Strategy::maxlen;
  trim.maxlen = 55;
  trim.approximate = true;
  trim.limit = 30;
  EXPECT_EQ(log.trim(trim), 30u) << "LIMIT stops before a fourth block";
  EXPECT_EQ(log.size(), 70u);
  trim.limit = 0;
  EXPECT_EQ(log.trim(trim), 10u);
  EXPECT_EQ(log.size(), 60u) << "a partial block stays";
  trim.approximate = false;
  EXPECT_EQ(log.trim(trim), 5u);
  EXPECT_EQ(*log.first_id(), (StreamId{46, 0}));
}

// One random operation on a log and its model; `last` is the greatest ID ever appended (IDs
// only grow, as XADD keeps them).
void step(StreamLog& log, Model& model, StreamId& last, StreamBlockLimits limits) {
  const int op = *rc::gen::inRange(0, 10);
  uint64_t& next_ms = last.ms;
  if (op < 6) {
    const uint64_t gap = *rc::gen::inRange<uint64_t>(0, 3);
    const StreamId id = gap == 0 ? *last.next() : StreamId{last.ms + gap, gap % 2};
    const bool same = *rc::gen::inRange(0, 3) != 0;
    const Items items = same ? Items{"a", std::to_string(id.ms), "b", "x"}
                             : Items{"f" + std::to_string(op), std::string(op * 3, 'y')};
    last = id;
    log.append(id, views(items), limits);
    model[id] = items;
  } else if (op < 8) {
    if (model.empty()) return;
    auto it = model.begin();
    std::advance(it, *rc::gen::inRange<size_t>(0, model.size()));
    RC_ASSERT(log.erase(it->first));
    RC_ASSERT(!log.erase(it->first));
    model.erase(it);
  } else {
    StreamTrim trim;
    trim.strategy = op == 8 ? StreamTrim::Strategy::maxlen : StreamTrim::Strategy::minid;
    trim.maxlen = *rc::gen::inRange<uint64_t>(0, 20);
    trim.minid = StreamId{*rc::gen::inRange<uint64_t>(0, next_ms + 2), 0};
    trim.approximate = *rc::gen::arbitrary<bool>();
    trim.limit = trim.approximate ? *rc::gen::inRange<int64_t>(0, 30) : 0;
    const size_t before = model.size();
    const uint64_t removed = log.trim(trim);
    // Trimming removes the oldest entries, never more than asked.
    RC_ASSERT(removed <= before);
    for (uint64_t i = 0; i < removed; ++i) {
      if (trim.strategy == StreamTrim::Strategy::minid) {
        RC_ASSERT(model.begin()->first < trim.minid);
      }
      model.erase(model.begin());
    }
    const size_t floor = std::min<size_t>(before, trim.maxlen);
    if (trim.strategy == StreamTrim::Strategy::maxlen) RC_ASSERT(model.size() >= floor);
    if (!trim.approximate) {
      if (trim.strategy == StreamTrim::Strategy::maxlen) {
        RC_ASSERT(model.size() == floor);
      } else {
        // Not one RC_ASSERT: its operator capture evaluates both sides of ||.
        if (!model.empty()) RC_ASSERT(model.begin()->first >= trim.minid);
      }
    }
  }
}

RC_GTEST_PROP(StreamLogProperty, MatchesAnOrderedMapUnderAppendsDeletesAndTrims, ()) {
  StreamLog log;
  Model model;
  StreamId last{1, 0};
  const StreamBlockLimits limits{*rc::gen::element<int64_t>(0, 64, 4096),
                                 *rc::gen::inRange<int64_t>(0, 8)};
  const int steps = *rc::gen::inRange(1, 200);
  for (int i = 0; i < steps; ++i) {
    step(log, model, last, limits);
    RC_ASSERT(log.size() == model.size());
  }
  RC_ASSERT(contents(log) == model);
  RC_ASSERT(contents(log, true) == model);
  if (!model.empty()) {
    RC_ASSERT(*log.first_id() == model.begin()->first);
    RC_ASSERT(*log.last_id() == model.rbegin()->first);
    // A sub-range is the model's.
    const StreamId from = std::next(model.begin(), model.size() / 3)->first;
    Model part;
    log.range(from, StreamId::max(), false, [&](StreamId id, std::span<const std::string_view> v) {
      part[id] = Items(v.begin(), v.end());
      return true;
    });
    RC_ASSERT(part == Model(model.lower_bound(from), model.end()));
  }
  for (const auto& [id, items] : model) RC_ASSERT(log.contains(id));
}

TEST(StreamValue, RebuildRecreatesCountersAndGroups) {
  StreamValue value;
  const Items item{"f", "v"};
  for (uint64_t ms = 1; ms <= 3; ++ms) value.add({ms, 0}, views(item), {});
  value.erase({3, 0});
  value.state().groups.emplace("g", StreamGroup({2, 0}, 2));
  StreamGroup& group = value.state().groups.at("g");
  group.deliver({1, 0}, group.consumer("alice", 10), 10);
  group.consumer("bob", 10);
  std::vector<std::vector<std::string>> commands;
  value.rebuild("k", [&](std::span<const std::string_view> argv) {
    commands.emplace_back(argv.begin(), argv.end());
  });
  const std::vector<std::vector<std::string>> expected{
      {"XADD", "k", "1-0", "f", "v"},
      {"XADD", "k", "2-0", "f", "v"},
      {"XSETID", "k", "3-0", "ENTRIESADDED", "3", "MAXDELETEDID", "3-0"},
      {"XGROUP", "CREATE", "k", "g", "2-0", "ENTRIESREAD", "2"},
      {"XCLAIM", "k", "g", "alice", "0", "1-0", "TIME", "10", "RETRYCOUNT", "1", "JUSTID", "FORCE"},
      {"XGROUP", "CREATECONSUMER", "k", "g", "bob"},
  };
  EXPECT_EQ(commands, expected);
  EXPECT_TRUE(value.kept_when_empty());
  EXPECT_STREQ(value.encoding(), "stream");
}

}  // namespace
}  // namespace ringcache::store
