// Number and option parsing with Redis' rules (string2ll, string2ld, SCAN's strtoul) and the
// INCRBYFLOAT number format.

#include "core/commands/arguments.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace ringcache::commands {
namespace {

TEST(ArgumentsTest, Int64AcceptsCanonicalDecimals) {
  EXPECT_EQ(parse_int64("0"), 0);
  EXPECT_EQ(parse_int64("7"), 7);
  EXPECT_EQ(parse_int64("-15"), -15);
  EXPECT_EQ(parse_int64("9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(parse_int64("-9223372036854775808"), std::numeric_limits<int64_t>::min());
}

TEST(ArgumentsTest, Int64RefusesEverythingElse) {
  for (const char* text :
       {"", "-", "+1", " 1", "1 ", "01", "-0", "00", "1.0", "1e3", "0x10", "9223372036854775808",
        "-9223372036854775809", "18446744073709551616", "123456789012345678901", "abc"}) {
    EXPECT_FALSE(parse_int64(text).has_value()) << text;
  }
  EXPECT_FALSE(parse_int64(std::string("1\0", 2)).has_value());
}

TEST(ArgumentsTest, LongDoubleFollowsStrtold) {
  EXPECT_EQ(parse_long_double("1.5"), 1.5L);
  EXPECT_EQ(parse_long_double("-3"), -3.0L);
  EXPECT_EQ(parse_long_double("1e3"), 1000.0L);
  EXPECT_EQ(parse_long_double("0x10"), 16.0L);
  EXPECT_EQ(parse_long_double("+.5"), 0.5L);
  EXPECT_TRUE(std::isinf(*parse_long_double("inf")));
  EXPECT_FALSE(parse_long_double(std::string("2\0", 2)).has_value()) << "the whole text counts";
  EXPECT_FALSE(parse_long_double(std::string("\0", 1)).has_value());
  for (const char* text :
       {"", " 1", "1 ", "abc", "nan", "1e99999", "-1e99999", "1e-99999", "1.5x"}) {
    EXPECT_FALSE(parse_long_double(text).has_value()) << text;
  }
  EXPECT_FALSE(parse_long_double(std::string(6000, '1')).has_value());
}

TEST(ArgumentsTest, CursorFollowsStrtoul) {
  EXPECT_EQ(parse_cursor("0"), 0u);
  EXPECT_EQ(parse_cursor(""), 0u);
  EXPECT_EQ(parse_cursor("+12"), 12u);
  EXPECT_EQ(parse_cursor("007"), 7u);
  EXPECT_EQ(parse_cursor("-1"), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(parse_cursor("18446744073709551615"), std::numeric_limits<uint64_t>::max());
  for (const char* text : {" 1", "1 ", "abc", "1x", "18446744073709551616"}) {
    EXPECT_FALSE(parse_cursor(text).has_value()) << text;
  }
}

TEST(ArgumentsTest, HumanLongDoubleFormat) {
  EXPECT_EQ(format_long_double_human(3.0L), "3");
  EXPECT_EQ(format_long_double_human(10.5L), "10.5");
  EXPECT_EQ(format_long_double_human(-0.0L), "0");
  EXPECT_EQ(format_long_double_human(1e20L), "100000000000000000000");
  EXPECT_EQ(format_long_double_human(0.1L), "0.1");
  EXPECT_EQ(format_long_double_human(5.0e-18L), "0") << "17 decimals, no exponent";
}

TEST(ArgumentsTest, OptionsIgnoreAsciiCase) {
  EXPECT_TRUE(option_is("Ex", "EX"));
  EXPECT_TRUE(option_is("keepttl", "KEEPTTL"));
  EXPECT_FALSE(option_is("EXX", "EX"));
}

TEST(ArgumentsTest, CheckedAdd) {
  EXPECT_EQ(checked_add(1, 2), 3);
  EXPECT_FALSE(checked_add(std::numeric_limits<int64_t>::max(), 1).has_value());
  EXPECT_FALSE(checked_add(std::numeric_limits<int64_t>::min(), -1).has_value());
}

TEST(ArgumentsTest, ExpireTimeErrorNamesTheCommand) {
  EXPECT_EQ(errors::invalid_expire_time("set"), "ERR invalid expire time in 'set' command");
}

}  // namespace
}  // namespace ringcache::commands
