// Collection values in the keyspace: ownership (freed exactly once, moved by RENAME), memory
// accounting as they grow and shrink, and removal of a key whose collection became empty.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/store/hash_value.h"
#include "core/store/keyspace.h"
#include "core/store/list_value.h"
#include "core/store/set_value.h"
#include "core/store/zset_value.h"

namespace ringcache::store {
namespace {

// A stand-in collection whose size and memory the test sets; counts live instances so a leak or
// a double free shows.
class FakeList final : public CollectionOf<FakeList> {
 public:
  explicit FakeList(int* live) : live_(live) { ++*live_; }
  FakeList(FakeList&& other) noexcept : items(other.items), bytes(other.bytes), live_(other.live_) {
    ++*live_;
  }
  ~FakeList() override { --*live_; }
  ValueType type() const override { return ValueType::list; }
  size_t size() const override { return items; }
  const char* encoding() const override { return "listpack"; }
  size_t allocated_bytes() const override { return bytes; }
  void rebuild(std::string_view key, const RebuildSink& emit) const override {
    std::vector<std::string_view> argv{"RPUSH", key, "x"};
    emit(argv);
  }
  size_t items = 1;
  size_t bytes = 100;

 private:
  int* live_;
};

struct Fixture {
  Fixture() : rng(7), keyspace(rng, EvictionConfig{}) { keyspace.set_now_ms(1'000'000); }
  // The value as the entry holds it (moved into the entry's allocation).
  FakeList* add(std::string_view key) {
    Entry* entry = keyspace.add_collection(key, std::make_unique<FakeList>(&live));
    return static_cast<FakeList*>(entry->collection());
  }
  int live = 0;
  Rng rng;
  Keyspace keyspace;
};

TEST(StoreCollection, AccountsTheValueAndFollowsItsGrowth) {
  Fixture f;
  const size_t empty = f.keyspace.used_memory();
  FakeList* list = f.add("l");
  Entry* entry = f.keyspace.find_write("l");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->type(), ValueType::list);
  EXPECT_EQ(entry->collection(), list);
  EXPECT_STREQ(entry->encoding(), "listpack");
  const size_t with_list = f.keyspace.used_memory();
  EXPECT_GE(with_list, empty + 100);

  list->bytes = 1000;
  EXPECT_EQ(f.keyspace.used_memory(), with_list) << "not counted until the write is reported";
  EXPECT_FALSE(f.keyspace.collection_written(entry));
  EXPECT_EQ(f.keyspace.used_memory(), with_list + 900);

  list->items = 0;
  EXPECT_TRUE(f.keyspace.collection_written(entry)) << "an empty collection takes its key along";
  EXPECT_EQ(f.keyspace.find_read("l"), nullptr);
  EXPECT_EQ(f.live, 0);
  EXPECT_EQ(f.keyspace.used_memory(), empty);
}

TEST(StoreCollection, RenameMovesTheValueAndKeepsTheAccounting) {
  Fixture f;
  const size_t empty = f.keyspace.used_memory();
  FakeList* list = f.add("from");
  list->items = 7;
  list->bytes = 300;
  EXPECT_FALSE(f.keyspace.collection_written(f.keyspace.find_write("from")));
  f.keyspace.set_expire(f.keyspace.find_write("from"), 5'000'000);
  f.keyspace.set_string("to", "old string", no_expiry);
  const size_t string_bytes = f.keyspace.peek("to")->allocated_bytes();
  const size_t before = f.keyspace.used_memory();
  Entry* renamed = f.keyspace.rename(f.keyspace.find_write("from"), "to");
  const auto* moved = static_cast<const FakeList*>(renamed->collection());
  EXPECT_EQ(moved->items, 7u);
  EXPECT_EQ(moved->bytes, 300u);
  // The overwritten string is gone; keys of lengths whose entries share a chunk size: the
  // collection's entry costs what it did.
  EXPECT_EQ(f.keyspace.used_memory(), before - string_bytes);
  EXPECT_EQ(renamed->expire_at_ms(), 5'000'000);
  EXPECT_EQ(f.keyspace.find_read("from"), nullptr);
  EXPECT_EQ(f.live, 1);
  f.keyspace.erase("to");
  EXPECT_EQ(f.live, 0);
  EXPECT_EQ(f.keyspace.used_memory(), empty);
}

TEST(StoreCollection, OverwritesFreeTheOldValue) {
  Fixture f;
  const size_t empty = f.keyspace.used_memory();
  f.add("k");
  f.keyspace.set_string("k", "now a string", no_expiry);  // SET over a list
  EXPECT_EQ(f.live, 0);
  EXPECT_EQ(f.keyspace.find_read("k")->string_value(), "now a string");

  auto replacement = std::make_unique<FakeList>(&f.live);
  f.keyspace.store_collection("k", std::move(replacement));  // a *STORE over a string
  EXPECT_EQ(f.keyspace.find_read("k")->type(), ValueType::list);
  auto nothing = std::make_unique<FakeList>(&f.live);
  nothing->items = 0;
  EXPECT_EQ(f.keyspace.store_collection("k", std::move(nothing)), nullptr);
  EXPECT_EQ(f.keyspace.find_read("k"), nullptr) << "storing an empty result deletes the key";
  EXPECT_EQ(f.live, 0);

  f.add("a");
  f.add("b");
  f.keyspace.clear();
  EXPECT_EQ(f.live, 0);
  EXPECT_EQ(f.keyspace.used_memory(), empty);
}

// The real value classes held inside their entries, in both encodings: filled in place after the
// key is added, renamed (the object moves to the new entry), then removed; the accounting comes
// back to where it started and nothing is leaked or freed twice (the sanitizer build checks).
TEST(StoreCollection, RealValuesLiveInTheirEntriesThroughWritesAndRenames) {
  Fixture f;
  const size_t empty = f.keyspace.used_memory();
  EncodingLimits limits;
  limits.hash_max_listpack_entries = 4;
  limits.zset_max_listpack_entries = 4;
  limits.set_max_intset_entries = 4;
  for (int items : {3, 40}) {  // compact, then full
    Entry* hash = f.keyspace.add_collection("h", std::make_unique<HashValue>());
    Entry* set = f.keyspace.add_collection("s", std::make_unique<SetValue>());
    Entry* zset = f.keyspace.add_collection("z", std::make_unique<ZsetValue>());
    Entry* list = f.keyspace.add_collection("l", std::make_unique<ListValue>());
    for (int i = 0; i < items; ++i) {
      const std::string item = std::to_string(i);
      static_cast<HashValue*>(hash->collection())->set(item, "value", limits, f.rng);
      static_cast<SetValue*>(set->collection())->add(item, limits, f.rng);
      static_cast<ZsetValue*>(zset->collection())->set(item, i, limits, f.rng);
      static_cast<ListValue*>(list->collection())->push(ListEnd::tail, item, 128);
    }
    for (Entry* entry : {hash, set, zset, list}) {
      EXPECT_FALSE(f.keyspace.collection_written(entry));  // may move the entry
    }
    for (const char* key : {"h", "s", "z", "l"}) {
      EXPECT_EQ(f.keyspace.peek(key)->collection()->size(), static_cast<size_t>(items));
    }
    EXPECT_STREQ(f.keyspace.peek("h")->encoding(), items == 3 ? "listpack" : "hashtable");
    EXPECT_STREQ(f.keyspace.peek("z")->encoding(), items == 3 ? "listpack" : "skiplist");
    const size_t filled = f.keyspace.used_memory();
    EXPECT_GT(filled, empty);
    for (const char* key : {"h", "s", "z", "l"}) {
      Entry* renamed = f.keyspace.rename(f.keyspace.find_write(key), std::string(key) + "2");
      EXPECT_EQ(renamed->collection()->size(), static_cast<size_t>(items));
    }
    const auto* moved = static_cast<const ZsetValue*>(f.keyspace.peek("z2")->collection());
    EXPECT_EQ(moved->at(items - 1).first, std::to_string(items - 1));
    EXPECT_EQ(f.keyspace.used_memory(), filled) << "one-byte longer keys: same chunk sizes";
    for (const char* key : {"h2", "s2", "z2", "l2"}) EXPECT_TRUE(f.keyspace.erase(key));
    EXPECT_EQ(f.keyspace.used_memory(), empty);
  }
}

}  // namespace
}  // namespace ringcache::store
