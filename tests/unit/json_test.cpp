// The JSON reader and writer, UTF-8 checks, base64 and target decoding used by the HTTP API.

#include "core/protocol/json.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <string>

#include "core/protocol/base64.h"
#include "core/protocol/json_writer.h"
#include "core/protocol/url.h"
#include "core/protocol/utf8.h"

namespace ringcache::protocol {
namespace {

using json::Value;

Value parsed(std::string_view text) {
  auto result = json::parse(text);
  EXPECT_TRUE(result.is_ok()) << text << ": " << result.status().message();
  return result.is_ok() ? std::move(result).value() : Value{};
}

std::string error_of(std::string_view text, size_t depth_max = constants::json_depth_max) {
  auto result = json::parse(text, depth_max);
  return result.is_ok() ? "" : result.status().message();
}

TEST(JsonReaderTest, ScalarsAndStructure) {
  const Value v = parsed(R"( {"value": "v", "ttl_ms": 60000, "a": [true, false, null, -1.5e2]} )");
  ASSERT_EQ(v.kind, Value::Kind::object);
  EXPECT_EQ(v.find("value")->string, "v");
  EXPECT_EQ(v.find("ttl_ms")->integer, 60000);
  const Value& a = *v.find("a");
  ASSERT_EQ(a.items.size(), 4u);
  EXPECT_TRUE(a.items[0].boolean);
  EXPECT_EQ(a.items[1].kind, Value::Kind::boolean);
  EXPECT_EQ(a.items[2].kind, Value::Kind::null);
  EXPECT_DOUBLE_EQ(a.items[3].number, -150);
  EXPECT_FALSE(a.items[3].integer.has_value());
  EXPECT_EQ(v.find("missing"), nullptr);
}

TEST(JsonReaderTest, NumbersKeepIntegersExactAndRefuseBadForms) {
  EXPECT_EQ(parsed("9223372036854775807").integer, INT64_MAX);
  EXPECT_FALSE(parsed("9223372036854775808").integer.has_value());  // too big: number only
  EXPECT_EQ(parsed("-0").integer, 0);
  EXPECT_FALSE(parsed("1.0").integer.has_value());
  for (const char* bad : {"01", "+1", ".5", "1.", "1e", "-", "0x10", "NaN", "Infinity"}) {
    EXPECT_NE(error_of(bad), "") << bad;
  }
}

TEST(JsonReaderTest, EveryEscapeIncludingSurrogatePairs) {
  EXPECT_EQ(parsed(R"("\"\\\/\b\f\n\r\t")").string, "\"\\/\b\f\n\r\t");
  EXPECT_EQ(parsed(R"("\u0041\u00e9\u20AC")").string, "A\xc3\xa9\xe2\x82\xac");
  EXPECT_EQ(parsed(R"("\ud83d\ude00")").string, "\xf0\x9f\x98\x80");
  EXPECT_EQ(parsed(R"("\u0000")").string, std::string(1, '\0'));
  EXPECT_EQ(parsed("\"caf\xc3\xa9\"").string, "caf\xc3\xa9");
}

TEST(JsonReaderTest, ErrorsSayWhatAndWhere) {
  EXPECT_EQ(error_of(R"({"a" 1})"), "malformed JSON at byte 5: expected ':'");
  EXPECT_EQ(error_of(R"("\ud83d")"), "malformed JSON at byte 7: unpaired high surrogate");
  EXPECT_EQ(error_of(R"("\ude00")"), "malformed JSON at byte 7: unpaired low surrogate");
  EXPECT_EQ(error_of(R"("\x")"), "malformed JSON at byte 2: invalid escape");
  EXPECT_EQ(error_of(R"("\u12G4")"), "malformed JSON at byte 3: invalid \\u escape");
  EXPECT_EQ(error_of(R"({"a":1,"a":2})"), "malformed JSON at byte 10: duplicate key \"a\"");
  EXPECT_EQ(error_of("\"a\nb\""), "malformed JSON at byte 2: control character in string (escape it)");
  EXPECT_EQ(error_of("\"\xff\""), "JSON text is not valid UTF-8");
  EXPECT_EQ(error_of("[1,]"), "malformed JSON at byte 3: unexpected character");
  EXPECT_EQ(error_of("{} x"), "malformed JSON at byte 3: unexpected text after the document");
  EXPECT_EQ(error_of(""), "malformed JSON at byte 0: unexpected end of text");
  EXPECT_EQ(error_of("\"abc"), "malformed JSON at byte 4: unterminated string");
}

TEST(JsonReaderTest, NestingAndSizeAreBounded) {
  EXPECT_EQ(error_of("[[[1]]]", 3), "");
  EXPECT_EQ(error_of("[[[[1]]]]", 3), "malformed JSON at byte 3: nesting deeper than 3");
  std::string many = "[";
  for (size_t i = 0; i < constants::json_values_max; ++i) many += "0,";
  many += "0]";
  EXPECT_NE(error_of(many).find("more than"), std::string::npos);
}

TEST(JsonWriterTest, PlacesCommasAndEscapes) {
  std::string out;
  JsonWriter json(out);
  json.begin_object().key("s").string("a\"b\\c\n\x01\xc3\xa9").key("n").integer(-5);
  json.key("list").begin_array().boolean(true).null().begin_object().end_object().end_array();
  json.end_object();
  EXPECT_EQ(out, R"({"s":"a\"b\\c\n\u0001é","n":-5,"list":[true,null,{}]})");
}

RC_GTEST_PROP(JsonProperty, WrittenStringsReadBack, ()) {
  std::string text = *rc::gen::arbitrary<std::string>();
  if (!valid_utf8(text)) {
    std::string ascii;
    for (char c : text) ascii.push_back(static_cast<char>(c & 0x7f));
    text = ascii;
  }
  std::string out;
  JsonWriter::append_string(out, text);
  auto back = json::parse(out);
  RC_ASSERT(back.is_ok());
  RC_ASSERT(back.value().string == text);
}

RC_GTEST_PROP(JsonProperty, GarbageNeverCrashes, ()) {
  const std::string text = *rc::gen::arbitrary<std::string>();
  (void)json::parse(text);
}

TEST(Utf8Test, RefusesOverlongSurrogatesAndOutOfRange) {
  EXPECT_TRUE(valid_utf8("plain \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  for (const char* bad : {"\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                          "\xff", "\xc3", "\x80"}) {
    EXPECT_FALSE(valid_utf8(bad)) << bad;
  }
}

TEST(Base64Test, RoundTripAndCanonicalForm) {
  std::string out;
  base64_encode(std::string("\x00\xff\x10hi", 5), out);
  EXPECT_EQ(out, "AP8QaGk=");
  EXPECT_EQ(base64_decode("AP8QaGk="), std::string("\x00\xff\x10hi", 5));
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_EQ(base64_decode("aGk="), "hi");
  EXPECT_EQ(base64_decode("aA=="), "h");
  for (const char* bad : {"aGk", "aGk=a", "aG=k", "aGl=", "aB==", "a===", "====", "aG k"}) {
    EXPECT_FALSE(base64_decode(bad).has_value()) << bad;
  }
}

RC_GTEST_PROP(Base64Property, RoundTrips, (const std::string& bytes)) {
  std::string encoded;
  base64_encode(bytes, encoded);
  RC_ASSERT(base64_decode(encoded) == bytes);
}

TEST(UrlTest, SplitDecodeAndQuery) {
  EXPECT_EQ(split_target("/cache/a%2Fb?encoding=base64").path, "/cache/a%2Fb");
  EXPECT_EQ(split_target("/cache/a?x").query, "x");
  EXPECT_EQ(percent_decode("a%2Fb%20c+d%e2%82%AC"), "a/b c+d\xe2\x82\xac");
  EXPECT_FALSE(percent_decode("a%2").has_value());
  EXPECT_FALSE(percent_decode("a%zz").has_value());
  std::vector<std::pair<std::string, std::string>> seen;
  for_each_query_parameter("a=1&&b&c=", [&](std::string_view n, std::string_view v) {
    seen.emplace_back(n, v);
    return true;
  });
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, std::string>>{{"a", "1"}, {"b", ""}, {"c", ""}}));
}

}  // namespace
}  // namespace ringcache::protocol
