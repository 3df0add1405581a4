// Glob matching as Redis' stringmatchlen does it, quirks included (expected values checked
// against redis-server 7.0 KEYS).

#include "core/util/glob.h"

#include <gtest/gtest.h>

#include <string>

namespace ringcache::util {
namespace {

TEST(GlobTest, LiteralsAndWildcards) {
  EXPECT_TRUE(glob_match("hello", "hello"));
  EXPECT_FALSE(glob_match("hello", "hell"));
  EXPECT_FALSE(glob_match("hell", "hello"));
  EXPECT_TRUE(glob_match("h?llo", "hallo"));
  EXPECT_FALSE(glob_match("h?llo", "hllo"));
  EXPECT_TRUE(glob_match("h*llo", "hllo"));
  EXPECT_TRUE(glob_match("h*llo", "heeeello"));
  EXPECT_TRUE(glob_match("*", "anything"));
  EXPECT_TRUE(glob_match("a*", "a"));
  EXPECT_TRUE(glob_match("a**", "a"));
  EXPECT_TRUE(glob_match("*a*b*", "xxaxxbxx"));
  EXPECT_FALSE(glob_match("*a*b*", "xxbxxaxx"));
  EXPECT_TRUE(glob_match("*.txt", "x.y.txt"));
}

TEST(GlobTest, EmptySubjectMatchesOnlyEmptyPattern) {
  EXPECT_TRUE(glob_match("", ""));
  EXPECT_FALSE(glob_match("*", ""));
  EXPECT_FALSE(glob_match("**", ""));
  EXPECT_FALSE(glob_match("", "a"));
}

TEST(GlobTest, Brackets) {
  EXPECT_TRUE(glob_match("h[ae]llo", "hello"));
  EXPECT_TRUE(glob_match("h[ae]llo", "hallo"));
  EXPECT_FALSE(glob_match("h[ae]llo", "hillo"));
  EXPECT_TRUE(glob_match("h[^e]llo", "hallo"));
  EXPECT_FALSE(glob_match("h[^e]llo", "hello"));
  EXPECT_TRUE(glob_match("h[a-b]llo", "hbllo"));
  EXPECT_TRUE(glob_match("h[b-a]llo", "hallo")) << "reversed ranges are swapped";
  EXPECT_FALSE(glob_match("h[a-b]llo", "hcllo"));
  EXPECT_TRUE(glob_match("[\\]]", "]"));
  EXPECT_TRUE(glob_match("[a\\-z]", "-"));
  EXPECT_FALSE(glob_match("[a\\-z]", "b"));
}

TEST(GlobTest, UnclosedBracketEndsWithThePattern) {
  EXPECT_TRUE(glob_match("[abc", "b"));
  EXPECT_FALSE(glob_match("[abc", "bc"));
  EXPECT_FALSE(glob_match("[", "a"));
  EXPECT_TRUE(glob_match("[^", "a")) << "an empty negated set matches any byte";
  // "a-]" is the range ']'..'a' and the closing bracket is swallowed by it.
  EXPECT_TRUE(glob_match("[a-]", "^"));
  EXPECT_FALSE(glob_match("[a-]x", "ax"));
}

TEST(GlobTest, Escapes) {
  EXPECT_TRUE(glob_match("\\*", "*"));
  EXPECT_FALSE(glob_match("\\*", "a"));
  EXPECT_TRUE(glob_match("\\?", "?"));
  EXPECT_TRUE(glob_match("a\\", "a\\")) << "a trailing backslash is literal";
}

TEST(GlobTest, NoCase) {
  EXPECT_TRUE(glob_match("HeLLo", "hello", true));
  EXPECT_FALSE(glob_match("HeLLo", "hello", false));
  EXPECT_TRUE(glob_match("[A-C]x", "bX", true));
  EXPECT_FALSE(glob_match("[\\A]", "a", true)) << "escaped bracket bytes compare exactly";
}

TEST(GlobTest, HighBytesCompareSigned) {
  // 0xC3 is negative as a signed char, so [a-\xC3] is the range 0xC3..'a', which holds '0'.
  EXPECT_TRUE(glob_match("[a-\xC3]", "0"));
  EXPECT_TRUE(glob_match("\xC3*", "\xC3\xA9t\xC3\xA9"));
}

TEST(GlobTest, PathologicalPatternStaysFast) {
  const std::string subject(10000, 'a');
  std::string pattern;
  for (int i = 0; i < 100; ++i) pattern += "a*";
  pattern += "b";
  EXPECT_FALSE(glob_match(pattern, subject));
}

}  // namespace
}  // namespace ringcache::util
