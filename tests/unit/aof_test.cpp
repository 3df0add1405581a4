// The AOF's pieces without a disk: CRC-32C, record framing, the manifest, replaying an image,
// and the rewrite's snapshot (base + the log written since equals the keyspace, also when writes
// change keys the walk has not reached yet).

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/persistence/aof.h"
#include "core/persistence/aof_loader.h"
#include "core/persistence/aof_manifest.h"
#include "core/persistence/aof_record.h"
#include "core/persistence/aof_rewrite.h"
#include "core/persistence/crc32c.h"
#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

using persistence::append_record;

TEST(Crc32c, MatchesTheStandardCheckValue) {
  EXPECT_EQ(persistence::crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(persistence::crc32c(""), 0u);
  // Continuing a CRC gives the CRC of the concatenation, whatever the split.
  const std::string text = "The quick brown fox jumps over the lazy dog, twice over.";
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    EXPECT_EQ(persistence::crc32c_extend(persistence::crc32c(text.substr(0, cut)),
                                         text.substr(cut)),
              persistence::crc32c(text));
  }
}

std::string record_of(std::vector<std::vector<std::string_view>> commands) {
  std::vector<server::ArgvView> unit(commands.begin(), commands.end());
  std::string out;
  append_record(out, unit);
  return out;
}

TEST(AofRecord, EveryFlippedBitIsFound) {
  const std::string record = record_of({{"SET", "k", "v"}});
  const auto header = persistence::decode_header(record);
  const std::string_view payload = std::string_view(record).substr(8);
  EXPECT_EQ(header.payload_bytes, payload.size());
  EXPECT_TRUE(persistence::checksum_matches(header, payload));
  for (size_t bit = 0; bit < record.size() * 8; ++bit) {
    std::string damaged = record;
    damaged[bit / 8] = static_cast<char>(damaged[bit / 8] ^ (1 << (bit % 8)));
    const auto h = persistence::decode_header(damaged);
    EXPECT_FALSE(persistence::checksum_matches(h, std::string_view(damaged).substr(8)))
        << "bit " << bit;
  }
}

TEST(AofManifest, RoundTripsAndRejectsBadLines) {
  persistence::Manifest manifest;
  manifest.base = persistence::AofFile{"appendonly.aof.2.base.aof", 2};
  manifest.incrs = {{"appendonly.aof.3.incr.aof", 3}, {"appendonly.aof.4.incr.aof", 4}};
  const std::string text = persistence::serialize_manifest(manifest);
  EXPECT_EQ(persistence::serialize_manifest_lines(manifest),
            "file appendonly.aof.2.base.aof seq 2 type b\n"
            "file appendonly.aof.3.incr.aof seq 3 type i\n"
            "file appendonly.aof.4.incr.aof seq 4 type i\n");
  auto parsed = persistence::parse_manifest(text);
  ASSERT_TRUE(parsed.is_ok());
  EXPECT_EQ(parsed.value().file_names(), manifest.file_names());
  EXPECT_EQ(parsed.value().next_base_seq(), 3);
  EXPECT_EQ(parsed.value().next_incr_seq(), 5);
  EXPECT_FALSE(persistence::parse_manifest("file a seq 1 type x\n").is_ok());
  EXPECT_FALSE(persistence::parse_manifest("file a seq 1 type b").is_ok());  // torn
  EXPECT_FALSE(persistence::parse_manifest("file a seq 2 type i\nfile b seq 1 type i\n").is_ok());
  EXPECT_FALSE(persistence::parse_manifest("file ../a seq 1 type b\n").is_ok());
}

class AofReplayTest : public CommandFixture {
 protected:
  // Every key as "value|expire_at_ms" (collections by type only: strings are what this covers).
  static std::map<std::string, std::string> dump(server::Server& server) {
    std::map<std::string, std::string> keys;
    server.keyspace().for_each([&](const store::Entry& entry) {
      std::string value = entry.type() == store::ValueType::string
                              ? std::string(entry.string_value())
                              : store::type_name(entry.type());
      keys[std::string(entry.key())] = value + "|" + std::to_string(entry.expire_at_ms());
    });
    return keys;
  }
  // A fresh node that replays `images` in order.
  std::map<std::string, std::string> replayed(const std::vector<std::string>& images) {
    server::Server fresh(runtime(), server::Config{}, commands::build_command_table());
    fresh.set_loading(true);
    for (const std::string& image : images) {
      const auto outcome = persistence::replay_image(fresh, commands::execute_preset, image);
      EXPECT_FALSE(outcome.damaged);
      EXPECT_EQ(outcome.error, "");
    }
    fresh.set_loading(false);
    fresh.keyspace().set_now_ms(runtime().wall_time_ms());
    return dump(fresh);
  }
};

TEST_F(AofReplayTest, ATornImageStopsAtTheLastWholeRecord) {
  const std::string first = record_of({{"SET", "a", "1"}});
  const std::string second = record_of({{"MULTI"}, {"SET", "b", "2"}, {"INCR", "a"}, {"EXEC"}});
  const std::string image = first + second;
  for (size_t cut = 0; cut < image.size(); ++cut) {
    server::Server fresh(runtime(), server::Config{}, commands::build_command_table());
    fresh.set_loading(true);
    const auto outcome =
        persistence::replay_image(fresh, commands::execute_preset, image.substr(0, cut));
    EXPECT_EQ(outcome.good_bytes, cut < first.size() ? 0 : first.size()) << cut;
    EXPECT_EQ(outcome.damaged, cut != 0 && cut != first.size()) << cut;
    // A unit is applied whole or not at all: never b without a's increment.
    EXPECT_EQ(fresh.keyspace().size(), cut < first.size() ? 0u : 1u) << cut;
  }
  EXPECT_EQ(replayed({image}), (std::map<std::string, std::string>{
                                   {"a", "2|" + std::to_string(store::no_expiry)},
                                   {"b", "2|" + std::to_string(store::no_expiry)}}));
}

TEST_F(AofReplayTest, UnknownCommandsStopTheLoad) {
  server::Server fresh(runtime(), server::Config{}, commands::build_command_table());
  fresh.set_loading(true);
  const auto outcome =
      persistence::replay_image(fresh, commands::execute_preset, record_of({{"NOSUCH", "x"}}));
  EXPECT_EQ(outcome.error, "Unknown command 'NOSUCH'");
}

// Records every propagated unit as the AOF writer frames it.
class LogSink final : public server::PropagationSink {
 public:
  void propagate(const server::PropagatedUnit& unit) override {
    append_record(log, unit.commands);
  }
  std::string log;
};

class MemoryFile final : public WritableFile {
 public:
  explicit MemoryFile(std::string& data) : data_(data) {}
  Status append(std::string_view data) override {
    data_.append(data);
    return Status::ok();
  }
  Status sync() override { return Status::ok(); }
  Status close() override { return Status::ok(); }
  uint64_t size() const override { return data_.size(); }

 private:
  std::string& data_;
};

TEST_F(AofReplayTest, RewriteBasePlusTheLogSinceEqualsTheKeyspace) {
  for (int i = 0; i < 300; ++i) {
    const std::string n = std::to_string(i);
    run({"SET", "k" + n, "v" + n});
    if (i % 3 == 0) run({"PEXPIRE", "k" + n, std::to_string(100000 + i)});
    if (i % 10 == 0) run({"INCRBY", "c" + n, n});
  }
  LogSink sink;
  server().add_propagation_sink(&sink);
  std::string base;
  {
    auto lease = server().snapshot_gate().try_acquire();
    ASSERT_TRUE(lease);
    persistence::AofRewrite rewrite(persistence::keyspace_walk(server()), std::move(*lease),
                                    std::make_unique<MemoryFile>(base));
    // Writes after the snapshot began, before the walk reaches anything: non-idempotent ones
    // too, which a base holding the later value would apply twice.
    run({"INCR", "c10"});
    run({"APPEND", "k7", "-more"});
    run({"DEL", "k8"});
    run({"SET", "k9", "new", "EX", "50"});
    run({"SET", "fresh", "x"});
    run({"INCR", "fresh-counter"});
    run({"RENAME", "k11", "renamed"});
    run({"PERSIST", "k12"});
    ASSERT_TRUE(rewrite.run().is_ok());
    EXPECT_EQ(rewrite.keys_written(), 300u + 30u);
    run({"INCR", "c10"});  // after the walk: only in the log
  }
  const auto now = dump(server());
  EXPECT_EQ(replayed({base, sink.log}), now);
  EXPECT_EQ(now.at("c10"), "12|" + std::to_string(store::no_expiry));
  server().remove_propagation_sink(&sink);
}

// The AOF rewrite and a replica's full sync take the same snapshot. A first snapshot whose walk is
// over still owns the before-write hook, and removes it when it goes: a second snapshot started
// then would lose its hook and write values changed after its start (INCR counted twice on
// replay). So the lease passes on only once the first snapshot object is gone.
TEST_F(AofReplayTest, TheSnapshotLeasePassesOnOnlyWhenTheHolderIsGone) {
  for (int i = 0; i < 300; ++i) run({"SET", "c" + std::to_string(i), "5"});
  std::string first_base;
  auto first_lease = server().snapshot_gate().try_acquire();
  ASSERT_TRUE(first_lease);
  EXPECT_FALSE(server().snapshot_gate().try_acquire());
  auto first = std::make_unique<persistence::AofRewrite>(
      persistence::keyspace_walk(server()), std::move(*first_lease),
      std::make_unique<MemoryFile>(first_base));
  ASSERT_TRUE(first->run().is_ok());
  // The walk is over, the hook gone, but the object still lives: still held.
  EXPECT_FALSE(server().snapshot_gate().try_acquire());
  first.reset();

  auto second_lease = server().snapshot_gate().try_acquire();
  ASSERT_TRUE(second_lease);
  LogSink sink;
  server().add_propagation_sink(&sink);
  std::string second_base;
  {
    persistence::AofRewrite second(persistence::keyspace_walk(server()), std::move(*second_lease),
                                   std::make_unique<MemoryFile>(second_base));
    for (int i = 0; i < 300; ++i) run({"INCR", "c" + std::to_string(i)});
    ASSERT_TRUE(second.run().is_ok());
  }
  EXPECT_TRUE(server().snapshot_gate().try_acquire());  // released with the rewrite
  const auto now = dump(server());
  EXPECT_EQ(now.at("c7"), "6|" + std::to_string(store::no_expiry));
  EXPECT_EQ(replayed({second_base, sink.log}), now);
  server().remove_propagation_sink(&sink);
}

}  // namespace
}  // namespace ringcache::testing
