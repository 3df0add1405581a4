// The request parser: Redis' request forms and errors, and the property that matters most for a
// network reader: however the bytes are split, the same requests come out.

#include "core/protocol/resp_parser.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace ringcache::protocol {
namespace {

using Argv = std::vector<std::string>;

struct Parsed {
  std::vector<Argv> commands;
  std::optional<std::string> error;
  size_t unconsumed = 0;
  bool operator==(const Parsed&) const = default;
};

// Feeds `chunks` in order as a connection would: append, then parse every complete request.
Parsed feed(const std::vector<std::string>& chunks, ParserLimits limits = {}) {
  RespParser parser(limits);
  std::string buffer;
  size_t begin = 0;
  Parsed out;
  for (const std::string& chunk : chunks) {
    buffer += chunk;
    for (;;) {
      const auto outcome = parser.parse(std::string_view(buffer).substr(begin));
      if (outcome == RespParser::Outcome::incomplete) break;
      if (outcome == RespParser::Outcome::error) {
        out.error = parser.error();
        return out;
      }
      out.commands.emplace_back(parser.argv().begin(), parser.argv().end());
      begin += parser.consumed();
    }
  }
  out.unconsumed = buffer.size() - begin;
  return out;
}

Parsed feed_whole(const std::string& bytes, ParserLimits limits = {}) {
  return feed({bytes}, limits);
}

std::vector<std::string> bytewise(const std::string& bytes) {
  std::vector<std::string> chunks;
  for (char c : bytes) chunks.emplace_back(1, c);
  return chunks;
}

std::string multibulk(const Argv& argv) {
  std::string out = "*" + std::to_string(argv.size()) + "\r\n";
  for (const auto& arg : argv) out += "$" + std::to_string(arg.size()) + "\r\n" + arg + "\r\n";
  return out;
}

TEST(RespParserTest, MultibulkCommand) {
  const Parsed parsed = feed_whole("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
  EXPECT_EQ(parsed.commands, (std::vector<Argv>{{"GET", "k"}}));
  EXPECT_FALSE(parsed.error);
  EXPECT_EQ(parsed.unconsumed, 0u);
}

TEST(RespParserTest, BinarySafeBulks) {
  const Argv argv{"SET", std::string("a\0\r\nb", 5), ""};
  EXPECT_EQ(feed_whole(multibulk(argv)).commands, std::vector<Argv>{argv});
}

TEST(RespParserTest, PipelinedCommandsAllParseAndTheTailWaits) {
  const std::string bytes = multibulk({"PING"}) + "ECHO hi\r\n" + multibulk({"GET", "x"}) + "*2\r\n$3\r\nGE";
  const Parsed parsed = feed_whole(bytes);
  EXPECT_EQ(parsed.commands, (std::vector<Argv>{{"PING"}, {"ECHO", "hi"}, {"GET", "x"}}));
  EXPECT_EQ(parsed.unconsumed, std::string("*2\r\n$3\r\nGE").size());
}

TEST(RespParserTest, ArgvViewsPointIntoTheInput) {
  const std::string bytes = multibulk({"SET", "key", "value"});
  RespParser parser;
  ASSERT_EQ(parser.parse(bytes), RespParser::Outcome::command);
  ASSERT_EQ(parser.argv().size(), 3u);
  EXPECT_EQ(parser.argv()[2].data(), bytes.data() + bytes.find("value"));
  EXPECT_EQ(parser.consumed(), bytes.size());
}

TEST(RespParserTest, InlineCommandsUseRedisQuoting) {
  EXPECT_EQ(feed_whole("set k \"a b\\x41\\n\" 'it\\'s'\r\n").commands,
            (std::vector<Argv>{{"set", "k", "a bA\n", "it's"}}));
  EXPECT_EQ(feed_whole("PING\n").commands, (std::vector<Argv>{{"PING"}}));
  EXPECT_EQ(feed_whole("  \r\n").commands, (std::vector<Argv>{Argv{}}));
}

TEST(RespParserTest, EmptyMultibulksAreEmptyCommands) {
  EXPECT_EQ(feed_whole("*0\r\n*-1\r\n").commands, (std::vector<Argv>{Argv{}, Argv{}}));
}

TEST(RespParserTest, PayloadTerminatorIsNotChecked) {
  // Redis takes the two bytes after a bulk payload as CRLF without looking at them.
  EXPECT_EQ(feed_whole("*1\r\n$4\r\nPINGxx").commands, (std::vector<Argv>{{"PING"}}));
}

TEST(RespParserTest, ProtocolErrorsUseRedisWords) {
  auto error_of = [](const std::string& bytes) { return feed_whole(bytes).error.value_or(""); };
  EXPECT_EQ(error_of("*x\r\n"), "ERR Protocol error: invalid multibulk length");
  EXPECT_EQ(error_of("*01\r\n"), "ERR Protocol error: invalid multibulk length");
  EXPECT_EQ(error_of("*3000000000\r\n"), "ERR Protocol error: invalid multibulk length");
  EXPECT_EQ(error_of("*1\r\n$-1\r\n"), "ERR Protocol error: invalid bulk length");
  EXPECT_EQ(error_of("*1\r\n$abc\r\n"), "ERR Protocol error: invalid bulk length");
  EXPECT_EQ(error_of("*1\r\n$600000000\r\n"), "ERR Protocol error: invalid bulk length");
  EXPECT_EQ(error_of("*2\r\n$3\r\nGET\r\nx\r\n"), "ERR Protocol error: expected '$', got 'x'");
  EXPECT_EQ(error_of("set \"a b\r\n"), "ERR Protocol error: unbalanced quotes in request");
  EXPECT_EQ(error_of("echo \"a\"b\r\n"), "ERR Protocol error: unbalanced quotes in request");
  EXPECT_EQ(error_of(std::string(70 * 1024, 'a')), "ERR Protocol error: too big inline request");
  EXPECT_EQ(error_of("*" + std::string(70 * 1024, '1')),
            "ERR Protocol error: too big mbulk count string");
  EXPECT_EQ(error_of("*1\r\n$" + std::string(70 * 1024, '1')),
            "ERR Protocol error: too big bulk count string");
}

// Header numbers take a one-pass path when they are plain digits and the careful one otherwise;
// both must agree on where a number ends and what is valid.
TEST(RespParserTest, HeaderNumbersAtTheEdgesOfTheFastPath) {
  auto error_of = [](const std::string& bytes) { return feed_whole(bytes).error.value_or(""); };
  EXPECT_EQ(error_of("*1\r\n$01\r\nx\r\n"), "ERR Protocol error: invalid bulk length");
  EXPECT_EQ(error_of("*1\r\n$-0\r\n"), "ERR Protocol error: invalid bulk length");
  EXPECT_EQ(error_of("*1\r\n$3x\r\n"), "ERR Protocol error: invalid bulk length");
  EXPECT_EQ(error_of("*1\r\n$" + std::string(19, '9') + "\r\n"),
            "ERR Protocol error: invalid bulk length");
  EXPECT_EQ(error_of("*1\r\n$" + std::string(18, '9') + "\r\n"),
            "ERR Protocol error: invalid bulk length");
  EXPECT_EQ(error_of("*1\r\n*1\r\n"), "ERR Protocol error: expected '$', got '*'");
  EXPECT_EQ(feed_whole("*1\r\n$0\r\n\r\n").commands, (std::vector<Argv>{Argv{""}}));
  EXPECT_EQ(feed_whole("*1\r\n$10\r\n0123456789\r\n").commands,
            (std::vector<Argv>{{"0123456789"}}));
  // A header cut right after its '\r' waits for one more byte.
  EXPECT_FALSE(feed_whole("*1\r").error.has_value());
  EXPECT_TRUE(feed_whole("*1\r").commands.empty());
  EXPECT_TRUE(feed_whole("*1\r\n$3\r").commands.empty());
}

TEST(RespParserTest, SniffKeysFindsSecondArgumentsOfCompleteRequests) {
  std::array<std::string_view, 4> keys;
  const std::string two = multibulk({"GET", "a"}) + multibulk({"SET", "bb", "v"});
  EXPECT_EQ(sniff_keys(two, keys), 2u);
  EXPECT_EQ(keys[0], "a");
  EXPECT_EQ(keys[1], "bb");
  // Stops at an incomplete request, at inline requests, and when the array is full.
  EXPECT_EQ(sniff_keys(two + multibulk({"GET", "c"}).substr(0, 12), keys), 2u);
  EXPECT_EQ(sniff_keys(multibulk({"GET", "a"}) + "PING\r\n" + multibulk({"GET", "b"}), keys), 1u);
  std::string many;
  for (int i = 0; i < 6; ++i) many += multibulk({"GET", std::to_string(i)});
  EXPECT_EQ(sniff_keys(many, keys), 4u);
  EXPECT_EQ(keys[3], "3");
  // A request without a second argument contributes nothing; garbage stops the scan.
  // (The keys are views into the input, so the input must outlive the check.)
  const std::string ping_then_get = multibulk({"PING"}) + multibulk({"GET", "k"});
  EXPECT_EQ(sniff_keys(ping_then_get, keys), 1u);
  EXPECT_EQ(keys[0], "k");
  EXPECT_EQ(sniff_keys("*2\r\n$3\r\nGET\r\n$99\r\nk\r\n", keys), 0u);
  EXPECT_EQ(sniff_keys("*x\r\n", keys), 0u);
}

TEST(RespParserTest, CommandsBeforeAnErrorStillParse) {
  const Parsed parsed = feed_whole(multibulk({"PING"}) + "*x\r\n" + multibulk({"PING"}));
  EXPECT_EQ(parsed.commands, (std::vector<Argv>{{"PING"}}));
  EXPECT_EQ(parsed.error, "ERR Protocol error: invalid multibulk length");
}

TEST(RespParserTest, BulkLimitFollowsProtoMaxBulkLen) {
  ParserLimits limits;
  limits.bulk_bytes_max = 4;
  EXPECT_EQ(feed_whole("*1\r\n$4\r\nPING\r\n", limits).commands, (std::vector<Argv>{{"PING"}}));
  EXPECT_EQ(feed_whole("*1\r\n$5\r\nHELLO\r\n", limits).error,
            "ERR Protocol error: invalid bulk length");
}

TEST(RespParserTest, UnauthenticatedRequestsMustBeSmall) {
  ParserLimits limits;
  limits.unauthenticated = true;
  EXPECT_EQ(feed_whole("*11\r\n", limits).error,
            "ERR Protocol error: unauthenticated multibulk length");
  EXPECT_EQ(feed_whole("*1\r\n$16385\r\n", limits).error,
            "ERR Protocol error: unauthenticated bulk length");
  EXPECT_FALSE(feed_whole(multibulk({"AUTH", "pw"}), limits).error);
}

TEST(RespParserTest, MissingBytesHintCoversTheWholeBulk) {
  RespParser parser;
  const std::string head = "*1\r\n$100000\r\nabc";
  EXPECT_EQ(parser.parse(head), RespParser::Outcome::incomplete);
  EXPECT_EQ(parser.bytes_missing_hint(), 100000u + 2 - 3);
}

TEST(RespParserTest, ByteByByteEqualsWhole) {
  const std::string bytes = multibulk({"SET", "k", "v"}) + "GET k\r\n" + "*0\r\n" +
                            multibulk({"MSET", "a", std::string(300, 'x'), "b", ""});
  EXPECT_EQ(feed(bytewise(bytes)), feed_whole(bytes));
  EXPECT_EQ(feed(bytewise(bytes)).commands.size(), 4u);
}

// Splits `bytes` at the given cut points (taken modulo the length, deduplicated by sorting).
std::vector<std::string> split_at(const std::string& bytes, std::vector<size_t> cuts) {
  for (auto& cut : cuts) cut = bytes.empty() ? 0 : cut % (bytes.size() + 1);
  std::sort(cuts.begin(), cuts.end());
  std::vector<std::string> chunks;
  size_t from = 0;
  for (size_t cut : cuts) {
    chunks.push_back(bytes.substr(from, cut - from));
    from = cut;
  }
  chunks.push_back(bytes.substr(from));
  return chunks;
}

// Words that survive an inline round trip unquoted: non-empty, no blanks, quotes or NULs.
rc::Gen<std::string> inline_word() {
  return rc::gen::nonEmpty(rc::gen::container<std::string>(
      rc::gen::elementOf(std::string("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:"))));
}

RC_GTEST_PROP(RespParserProperty, EveryCommandParsesIdenticallyHoweverSplit,
              (const std::vector<Argv>& binary_commands, const std::vector<size_t>& cuts)) {
  std::string bytes;
  std::vector<Argv> expected;
  for (const Argv& argv : binary_commands) {
    bytes += multibulk(argv);
    expected.push_back(argv);
    const auto inline_argv = *rc::gen::container<Argv>(inline_word());
    if (!inline_argv.empty()) {
      std::string line;
      for (const auto& word : inline_argv) line += word + " ";
      bytes += line + "\r\n";
      expected.push_back(inline_argv);
    }
  }
  const Parsed chunked = feed(split_at(bytes, cuts));
  RC_ASSERT(!chunked.error.has_value());
  RC_ASSERT(chunked.commands == expected);
  RC_ASSERT(chunked.unconsumed == 0u);
}

RC_GTEST_PROP(RespParserProperty, GarbageNeverCrashesAndSplitsAgree,
              (const std::vector<size_t>& cuts)) {
  // Garbage biased towards protocol bytes, so the parser's deeper states are reached.
  const auto bytes = *rc::gen::container<std::string>(rc::gen::weightedOneOf<char>(
      {{4, rc::gen::elementOf(std::string("*$\r\n0123456789-\"' \\x"))},
       {1, rc::gen::arbitrary<char>()}}));
  const Parsed whole = feed_whole(bytes);
  RC_ASSERT(feed(split_at(bytes, cuts)) == whole);
  RC_ASSERT(feed(bytewise(bytes)) == whole);
}

}  // namespace
}  // namespace ringcache::protocol
