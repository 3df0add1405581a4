// The HyperLogLog family as a session. Bytes and counts are what redis-server 7.0 answers for
// the same commands: the format is Redis' own (core/commands/hyperloglog/hll_format.h).

#include <string>
#include <vector>

#include "core/commands/hyperloglog/hll_format.h"
#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

class HyperLogLogTest : public CommandFixture {
 protected:
  std::vector<std::string> numbers(int count) {
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) out.push_back(std::to_string(i));
    return out;
  }
  std::string pfadd_numbers(const std::string& key, int count) {
    std::vector<std::string> argv{"PFADD", key};
    for (auto& n : numbers(count)) argv.push_back(n);
    return cli(argv);
  }
};

const std::string header_stale("HYLL\x01\0\0\0\0\0\0\0\0\0\0\x80", 16);

TEST_F(HyperLogLogTest, SparseBytesMatchRedis) {
  EXPECT_EQ(cli({"PFADD", "e"}), "(integer) 1");
  EXPECT_EQ(reply({"GET", "e"}).text, header_stale + "\x7f\xff");
  EXPECT_EQ(cli({"PFADD", "h", "a", "b", "c"}), "(integer) 1");
  EXPECT_EQ(reply({"GET", "h"}).text,
            header_stale + "\x60\xf3\x80\x50\xb1\x84\x4b\xfb\x80\x42\x5a");
  EXPECT_EQ(cli({"PFADD", "h", "a"}), "(integer) 0");
  EXPECT_EQ(cli({"PFCOUNT", "h"}), "(integer) 3");
  // The count is cached in the header, and the stale bit cleared.
  EXPECT_EQ(reply({"GET", "h"}).text.substr(0, 16),
            std::string("HYLL\x01\0\0\0\x03\0\0\0\0\0\0\0", 16));
}

TEST_F(HyperLogLogTest, PromotionToDenseAndCounts) {
  EXPECT_EQ(pfadd_numbers("mid", 300), "(integer) 1");
  EXPECT_EQ(cli({"PFCOUNT", "mid"}), "(integer) 302");
  EXPECT_EQ(cli({"STRLEN", "mid"}), "(integer) 698");
  EXPECT_EQ(pfadd_numbers("big", 2000), "(integer) 1");
  EXPECT_EQ(cli({"STRLEN", "big"}), std::string("(integer) ") + std::to_string(commands::hll::dense_bytes));
  EXPECT_EQ(cli({"PFCOUNT", "big"}), "(integer) 2007");
  run({"PFADD", "h", "a", "b", "c"});
  EXPECT_EQ(cli({"PFCOUNT", "mid", "big", "h", "missing"}), "(integer) 2011");
  EXPECT_EQ(cli({"PFMERGE", "m2", "mid", "h"}), "OK");
  EXPECT_EQ(cli({"PFCOUNT", "m2"}), "(integer) 305");
  EXPECT_EQ(cli({"STRLEN", "m2"}), "(integer) 703");
  EXPECT_EQ(cli({"PFMERGE", "m3", "big", "h"}), "OK");
  EXPECT_EQ(cli({"STRLEN", "m3"}), std::string("(integer) ") + std::to_string(commands::hll::dense_bytes));
}

TEST_F(HyperLogLogTest, InvalidValuesAreRefused) {
  run({"SET", "bad", "x"});
  EXPECT_EQ(cli({"PFADD", "bad", "a"}),
            "(error) WRONGTYPE Key is not a valid HyperLogLog string value.");
  run({"SET", "bad2", "HYLL_garbage____"});
  EXPECT_EQ(cli({"PFCOUNT", "bad2"}),
            "(error) WRONGTYPE Key is not a valid HyperLogLog string value.");
  run({"SET", "cor", std::string("HYLL\x01\0\0\0\0\0\0\0\0\0\0\x80\x7f\xf0", 18)});
  EXPECT_EQ(cli({"PFCOUNT", "cor"}), "(error) INVALIDOBJ Corrupted HLL object detected");
  EXPECT_EQ(cli({"PFADD", "cor", "x"}), "(error) INVALIDOBJ Corrupted HLL object detected");
  EXPECT_EQ(cli({"PFMERGE", "d", "cor"}), "(error) INVALIDOBJ Corrupted HLL object detected");
  run({"LPUSH", "l", "x"});
  EXPECT_EQ(cli({"PFCOUNT", "l"}),
            "(error) WRONGTYPE Operation against a key holding the wrong kind of value");
}

TEST_F(HyperLogLogTest, CopiedValuesKeepWorking) {
  run({"PFADD", "h", "a", "b", "c"});
  const std::string bytes = reply({"GET", "h"}).text;
  run({"SET", "copy", bytes});
  EXPECT_EQ(cli({"PFADD", "copy", "c"}), "(integer) 0");
  EXPECT_EQ(cli({"PFCOUNT", "copy"}), "(integer) 3");
}

}  // namespace
}  // namespace ringcache::testing
