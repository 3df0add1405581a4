// The struct library (core/scripting/lua_struct.cpp) on a bare interpreter. Every expected value
// below is what redis-server 7.0.15 answers to the same expression (in an EVAL), errors included,
// so the cases double as a record of Redis' behaviour, odd corners and all.

#include "core/scripting/lua_struct.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "core/scripting/lua.h"
#include "core/util/rng.h"

namespace ringcache::scripting {
namespace {

class LuaStructTest : public ::testing::Test {
 protected:
  LuaStructTest() : L_(luaL_newstate()) {
    for (const lua_CFunction opener : {luaopen_base, luaopen_string}) {
      lua_pushcfunction(L_, opener);
      lua_call(L_, 0, 0);
    }
    lua_pushcfunction(L_, luaopen_struct);
    lua_call(L_, 0, 1);
    lua_setglobal(L_, "struct");
  }
  ~LuaStructTest() override { lua_close(L_); }

  // Runs `return <expression>` and describes its values, space-separated: a string as <hex>, a
  // number as %.17g; an error as "error: <message>" (without the chunk's "t:1: ").
  std::string eval(std::string_view expression) {
    const std::string chunk = "return " + std::string(expression);
    lua_settop(L_, 0);
    if (luaL_loadbuffer(L_, chunk.data(), chunk.size(), "=t") != 0 ||
        lua_pcall(L_, 0, LUA_MULTRET, 0) != 0) {
      std::string message = lua_tostring(L_, -1);
      if (message.starts_with("t:1: ")) message.erase(0, 5);
      return "error: " + message;
    }
    std::string out;
    for (int i = 1; i <= lua_gettop(L_); ++i) {
      if (i > 1) out += ' ';
      out += describe(i);
    }
    return out;
  }

  std::string describe(int index) {
    char text[64];
    if (lua_type(L_, index) == LUA_TNUMBER) {
      std::snprintf(text, sizeof text, "%.17g", lua_tonumber(L_, index));
      return text;
    }
    size_t size = 0;
    const char* bytes = lua_tolstring(L_, index, &size);
    std::string hex = "<";
    for (size_t i = 0; i < size; ++i) {
      std::snprintf(text, sizeof text, "%02x", static_cast<unsigned char>(bytes[i]));
      hex += text;
    }
    return hex + ">";
  }

  lua_State* L_;
};

TEST_F(LuaStructTest, PacksIntegersInEitherByteOrder) {
  EXPECT_EQ(eval("struct.pack('b', -2)"), "<fe>");
  EXPECT_EQ(eval("struct.pack('B', 254)"), "<fe>");
  EXPECT_EQ(eval("struct.pack('h', -2)"), "<feff>");
  EXPECT_EQ(eval("struct.pack('>h', -2)"), "<fffe>");
  EXPECT_EQ(eval("struct.pack('H', 513)"), "<0102>");
  EXPECT_EQ(eval("struct.pack('>H', 513)"), "<0201>");
  EXPECT_EQ(eval("struct.pack('i', 1)"), "<01000000>");
  EXPECT_EQ(eval("struct.pack('>i', 1)"), "<00000001>");
  EXPECT_EQ(eval("struct.pack('I', 4294967295)"), "<ffffffff>");
  EXPECT_EQ(eval("struct.pack('l', -1)"), "<ffffffffffffffff>");
  EXPECT_EQ(eval("struct.pack('>L', 1)"), "<0000000000000001>");
  EXPECT_EQ(eval("struct.pack('T', 5)"), "<0500000000000000>");
  EXPECT_EQ(eval("struct.pack('i3', -1)"), "<ffffff>");
  EXPECT_EQ(eval("struct.pack('>I3', 66051)"), "<010203>");
  EXPECT_EQ(eval("struct.pack('<i5>i5', 1, 1)"), "<01000000000000000001>");
  // The low bytes of what does not fit; i0 takes its argument and writes nothing.
  EXPECT_EQ(eval("struct.pack('b', 300)"), "<2c>");
  EXPECT_EQ(eval("struct.pack('B', -1)"), "<ff>");
  EXPECT_EQ(eval("struct.pack('i0', 5)"), "<>");
  EXPECT_EQ(eval("struct.pack('b', '12')"), "<0c>");
}

TEST_F(LuaStructTest, UnpacksIntegersAndTheNextPosition) {
  EXPECT_EQ(eval(R"(struct.unpack('b', '\254'))"), "-2 2");
  EXPECT_EQ(eval(R"(struct.unpack('B', '\254'))"), "254 2");
  EXPECT_EQ(eval(R"(struct.unpack('<h>h', '\1\2\1\2'))"), "513 258 5");
  EXPECT_EQ(eval(R"(struct.unpack('H', '\255\255'))"), "65535 3");
  EXPECT_EQ(eval(R"(struct.unpack('i', '\255\255\255\255'))"), "-1 5");
  EXPECT_EQ(eval(R"(struct.unpack('I', '\255\255\255\255'))"), "4294967295 5");
  EXPECT_EQ(eval(R"(struct.unpack('i3', '\255\255\128'))"), "-8323073 4");
  EXPECT_EQ(eval(R"(struct.unpack('I3', '\255\255\128'))"), "8454143 4");
  EXPECT_EQ(eval(R"(struct.unpack('>i3', '\128\0\0'))"), "-8388608 4");
  EXPECT_EQ(eval(R"(struct.unpack('l', '\255\255\255\255\255\255\255\255'))"), "-1 9");
  EXPECT_EQ(eval(R"(struct.unpack('L', '\255\255\255\255\255\255\255\255'))"),
            "1.8446744073709552e+19 9");
  EXPECT_EQ(eval(R"(struct.unpack('T', '\1\0\0\0\0\0\0\0'))"), "1 9");
  EXPECT_EQ(eval(R"(struct.unpack('>l', '\0\0\0\0\0\0\1\0'))"), "256 9");
  EXPECT_EQ(eval("struct.unpack('i0', 'abc')"), "0 1");
  EXPECT_EQ(eval(R"(struct.unpack('bbb', '\1\2\3'))"), "1 2 3 4");
  EXPECT_EQ(eval("struct.unpack('b', 12)"), "49 2");  // the data "12"
  EXPECT_EQ(eval("struct.unpack('i2', struct.pack('i2', -300))"), "-300 3");
  EXPECT_EQ(eval("struct.unpack('>I7', struct.pack('>I7', 2^53))"), "9007199254740992 8");
}

// Redis holds an integer in 64 bits: packing pads past the 8th byte with zeros (even for a
// negative number), unpacking keeps the 8 least significant bytes and takes the sign from bit
// (8n - 1) mod 64.
TEST_F(LuaStructTest, IntegersWiderThanEightBytesKeepRedisLowBytes) {
  EXPECT_EQ(eval("struct.pack('i9', -1)"), "<ffffffffffffffff00>");
  EXPECT_EQ(eval("struct.pack('>i9', -1)"), "<00ffffffffffffffff>");
  EXPECT_EQ(eval("struct.pack('i16', -2)"), "<feffffffffffffff0000000000000000>");
  EXPECT_EQ(eval("struct.pack('I32', 1)"),
            "<0100000000000000000000000000000000000000000000000000000000000000>");
  EXPECT_EQ(eval(R"(struct.unpack('i9', '\255\255\255\255\255\255\255\255\255'))"), "-1 10");
  EXPECT_EQ(eval(R"(struct.unpack('i9', '\0\0\0\0\0\0\0\128\1'))"), "-128 10");
  EXPECT_EQ(eval(R"(struct.unpack('>i9', '\1\0\0\0\0\0\0\0\255'))"), "-1 10");
  EXPECT_EQ(eval(R"(struct.unpack('i16', '\255\0\0\0\0\0\0\0\0\0\0\0\0\0\0\128'))"), "255 17");
  EXPECT_EQ(eval(R"(struct.unpack('I12', '\1\0\0\0\0\0\0\0\0\0\0\255'))"), "1 13");
  EXPECT_EQ(eval(R"(struct.unpack('i32', string.rep('\1', 32)))"), "72340172838076672 33");
  EXPECT_EQ(eval("struct.pack('i33', 1)"), "error: integral size 33 is larger than limit of 32");
}

// Numbers become integers as Redis' C casts do on x86-64: truncated toward zero; beyond int64
// (or NaN) the bits of INT64_MIN, except that [2^63, 2^64) is taken as unsigned and 2^64 and up
// wrap to 0.
TEST_F(LuaStructTest, NumbersOutOfRangeWrapAsInRedis) {
  EXPECT_EQ(eval("struct.pack('i8', 3.9)"), "<0300000000000000>");
  EXPECT_EQ(eval("struct.pack('i8', -3.9)"), "<fdffffffffffffff>");
  EXPECT_EQ(eval("struct.pack('i8', -0.5)"), "<0000000000000000>");
  EXPECT_EQ(eval("struct.pack('I8', 2^63)"), "<0000000000000080>");
  EXPECT_EQ(eval("struct.pack('I8', 2^63 + 4096)"), "<0010000000000080>");
  EXPECT_EQ(eval("struct.pack('I8', 2^64 - 4096)"), "<00f0ffffffffffff>");
  EXPECT_EQ(eval("struct.pack('I8', 2^64)"), "<0000000000000000>");
  EXPECT_EQ(eval("struct.pack('i8', 2^70)"), "<0000000000000000>");
  EXPECT_EQ(eval("struct.pack('i8', -2^63)"), "<0000000000000080>");
  EXPECT_EQ(eval("struct.pack('i8', -2^70)"), "<0000000000000080>");
  EXPECT_EQ(eval("struct.pack('i8', 1/0)"), "<0000000000000000>");
  EXPECT_EQ(eval("struct.pack('i8', -1/0)"), "<0000000000000080>");
  EXPECT_EQ(eval("struct.pack('i8', 0/0)"), "<0000000000000080>");
  EXPECT_EQ(eval("struct.pack('b', 2^63)"), "<00>");
}

TEST_F(LuaStructTest, FloatsAndDoubles) {
  EXPECT_EQ(eval("struct.pack('f', 1.5)"), "<0000c03f>");
  EXPECT_EQ(eval("struct.pack('>f', 1.5)"), "<3fc00000>");
  EXPECT_EQ(eval("struct.pack('d', 2.25)"), "<0000000000000240>");
  EXPECT_EQ(eval("struct.pack('>d', 2.25)"), "<4002000000000000>");
  EXPECT_EQ(eval("struct.pack('f', 1/3)"), "<abaaaa3e>");
  // Beyond float's range: infinity; below its smallest: zero.
  EXPECT_EQ(eval("struct.pack('f', 1e300)"), "<0000807f>");
  EXPECT_EQ(eval("struct.pack('f', -1e39)"), "<000080ff>");
  EXPECT_EQ(eval("struct.pack('f', 1e-46)"), "<00000000>");
  EXPECT_EQ(eval("struct.pack('d', 1/0)"), "<000000000000f07f>");
  EXPECT_EQ(eval("struct.pack('d', -(0/0))"), "<000000000000f87f>");
  EXPECT_EQ(eval("struct.unpack('>f', struct.pack('>f', 1.1))"), "1.1000000238418579 5");
  EXPECT_EQ(eval("struct.unpack('<d', struct.pack('<d', 1.1))"), "1.1000000000000001 9");
  EXPECT_EQ(eval(R"(struct.unpack('f', '\0\0\128\127'))"), "inf 5");
  EXPECT_EQ(eval(R"(struct.unpack('>d', '\255\240\0\0\0\0\0\0'))"), "-inf 9");
  EXPECT_EQ(eval(R"(struct.unpack('d', '\1\0\0\0\0\0\248\127'))"), "nan 9");
  // A signalling NaN comes back quiet, its payload kept.
  EXPECT_EQ(eval(R"(struct.pack('f', struct.unpack('f', '\1\0\128\127')))"), "<0100c07f>");
  EXPECT_EQ(eval("struct.pack('d', 'x')"),
            "error: bad argument #2 to 'pack' (number expected, got string)");
}

TEST_F(LuaStructTest, Strings) {
  EXPECT_EQ(eval("struct.pack('c', 'xyz')"), "<78>");
  EXPECT_EQ(eval("struct.pack('c2', 'xyz')"), "<7879>");
  EXPECT_EQ(eval("struct.pack('c0', 'abc')"), "<616263>");
  EXPECT_EQ(eval("struct.pack('c0', '')"), "<>");
  EXPECT_EQ(eval("struct.pack('s', 'ab')"), "<616200>");
  EXPECT_EQ(eval(R"(struct.pack('s', 'a\0b'))"), "<61006200>");
  EXPECT_EQ(eval("struct.pack('s', 12)"), "<313200>");
  // Redis names the argument after the short string.
  EXPECT_EQ(eval("struct.pack('c2', 'a')"), "error: bad argument #3 to 'pack' (string too short)");
  EXPECT_EQ(eval("struct.pack('bc2', 1, 'a')"),
            "error: bad argument #4 to 'pack' (string too short)");
  EXPECT_EQ(eval("struct.pack('s', {})"),
            "error: bad argument #2 to 'pack' (string expected, got table)");
  EXPECT_EQ(eval("struct.unpack('c2', 'abc')"), "<6162> 3");
  EXPECT_EQ(eval("struct.unpack('c', 'abc', 3)"), "<63> 4");
  EXPECT_EQ(eval(R"(struct.unpack('s', 'abc\0'))"), "<616263> 5");
  EXPECT_EQ(eval(R"(struct.unpack('ss', 'a\0b\0c'))"), "<61> <62> 5");
  EXPECT_EQ(eval(R"(struct.unpack('s', '\0'))"), "<> 2");
  EXPECT_EQ(eval("struct.unpack('s', 'abc')"), "error: unfinished string in data");
  EXPECT_EQ(eval(R"(struct.unpack('bs', '\1'))"), "error: unfinished string in data");
}

TEST_F(LuaStructTest, C0UnpacksTheLengthReadBefore) {
  EXPECT_EQ(eval(R"(struct.unpack('bc0', '\2abc'))"), "<6162> 4");
  EXPECT_EQ(eval(R"(struct.unpack('>Hc0b', '\0\3abc\9'))"), "<616263> 9 7");
  EXPECT_EQ(eval(R"(struct.unpack('bc0', '\4abc'))"),
            "error: bad argument #2 to 'unpack' (data string too short)");
  EXPECT_EQ(eval("struct.unpack('c0', 'abc')"), "error: format 'c0' needs a previous size");
  // A string that reads as a number counts; one that does not, or a c0's own string, does not.
  EXPECT_EQ(eval("struct.unpack('c1c0', '2abc')"), "<6162> 4");
  EXPECT_EQ(eval("struct.unpack('c2c0', ' 2 abc')"), "<2061> 5");
  EXPECT_EQ(eval("struct.unpack('c1c0', 'xabc')"), "error: format 'c0' needs a previous size");
  EXPECT_EQ(eval(R"(struct.unpack('bc0c0', '\1\2ab'))"),
            "error: format 'c0' needs a previous size");
  EXPECT_EQ(eval(R"(struct.unpack('sc0', '2\0ab'))"), "<6162> 5");
  // The length converts as any number does: truncated, and wrapping out of range.
  EXPECT_EQ(eval("struct.unpack('dc0', struct.pack('d', 2.7) .. 'abc')"), "<6162> 11");
  EXPECT_EQ(eval("struct.unpack('dc0', struct.pack('d', 1/0) .. 'abc')"), "<> 9");
  for (const char* length : {"-1", "0/0", "2^63"}) {
    EXPECT_EQ(eval("struct.unpack('dc0', struct.pack('d', " + std::string(length) + ") .. 'abc')"),
              "error: bad argument #2 to 'unpack' (data string too short)")
        << length;
  }
}

TEST_F(LuaStructTest, AlignmentOnlyAfterAnExclamationMark) {
  EXPECT_EQ(eval("struct.pack('bd', 1, 2)"), "<010000000000000040>");
  EXPECT_EQ(eval("struct.pack('!bd', 1, 2)"), "<01000000000000000000000000000040>");
  EXPECT_EQ(eval("struct.pack('!2bd', 1, 2)"), "<01000000000000000040>");
  EXPECT_EQ(eval("struct.pack('!16bd', 1, 2)"), "<01000000000000000000000000000040>");
  EXPECT_EQ(eval("struct.pack('!4bhbi', 1, 2, 3, 4)"), "<010002000300000004000000>");
  EXPECT_EQ(eval("struct.pack('!4bxi', 1, 2)"), "<0100000002000000>");
  EXPECT_EQ(eval("struct.pack('!4bc3i', 1, 'abc', 2)"), "<0161626302000000>");  // c: no padding
  EXPECT_EQ(eval("struct.pack('!8bs d', 1, 'ab', 3)"), "<01616200000000000000000000000840>");
  EXPECT_EQ(eval("struct.pack('!', 1)"), "<>");
  // Sizes that are not powers of two pad as Redis' mask arithmetic says.
  EXPECT_EQ(eval("struct.pack('!8bi3bi3', 1, 2, 3, 4)"), "<01000002000003040000>");
  EXPECT_EQ(eval("struct.pack('!8bi6bi6', 1, 2, 3, 4)"),
            "<0100000000000200000000000300040000000000>");
  EXPECT_EQ(eval("struct.unpack('!8bi6bi6', struct.pack('!8bi6bi6', 1, 2, 3, 4))"), "1 2 3 4 21");
  EXPECT_EQ(eval(R"(struct.unpack('!4bi', '\1\0\0\0\2\0\0\0'))"), "1 2 9");
  EXPECT_EQ(eval(R"(struct.unpack('!4 i', '\1\0\0\0\2\0\0\0', 2))"), "2 9");
  EXPECT_EQ(eval(R"(struct.unpack('!4bi', '\1\0\0\0\2\0\0'))"),
            "error: bad argument #2 to 'unpack' (data string too short)");
  EXPECT_EQ(eval("struct.pack('!3', 1)"), "error: alignment 3 is not a power of 2");
  EXPECT_EQ(eval("struct.pack('!0b', 1)"), "error: alignment 0 is not a power of 2");
  EXPECT_EQ(eval("struct.pack('!99999999999b', 1)"), "error: integral size overflow");
}

TEST_F(LuaStructTest, UnpackStartsWhereAsked) {
  EXPECT_EQ(eval("struct.unpack('b', 'ab', 2)"), "98 3");
  EXPECT_EQ(eval("struct.unpack('b', 'ab', 1.9)"), "97 2");
  EXPECT_EQ(eval("struct.unpack('b', 'ab', '2')"), "98 3");
  EXPECT_EQ(eval("struct.unpack('b', 'a', nil)"), "97 2");
  EXPECT_EQ(eval("struct.unpack('b', 'ab', 3)"),
            "error: bad argument #2 to 'unpack' (data string too short)");
  // An empty format checks nothing, and a negative start is a huge one: Redis' size_t.
  EXPECT_EQ(eval("struct.unpack('', 'a', 100)"), "100");
  EXPECT_EQ(eval("struct.unpack('', 'a', -5)"), "-5");
  EXPECT_EQ(eval("struct.unpack(' ', 'a', 2)"), "2");
  EXPECT_EQ(eval("struct.unpack(' ', 'a', 3)"),
            "error: bad argument #2 to 'unpack' (data string too short)");
  EXPECT_EQ(eval("struct.unpack('b', 'a', -5)"),
            "error: bad argument #2 to 'unpack' (data string too short)");
  EXPECT_EQ(eval(R"(struct.unpack('!4 i', '\7\0\0\0', -2))"),
            "error: bad argument #2 to 'unpack' (data string too short)");
  EXPECT_EQ(eval("struct.unpack('b', 'a', 0)"),
            "error: bad argument #3 to 'unpack' (offset must be 1 or greater)");
  EXPECT_EQ(eval("struct.unpack('b', 'ab', 'x')"),
            "error: bad argument #3 to 'unpack' (number expected, got string)");
}

TEST_F(LuaStructTest, SizeOfFixedFormats) {
  EXPECT_EQ(eval("struct.size('')"), "0");
  EXPECT_EQ(eval("struct.size('bhilfdT')"), "35");
  EXPECT_EQ(eval("struct.size('!bhilfdT')"), "40");
  EXPECT_EQ(eval("struct.size('<>!4 b i3')"), "6");
  EXPECT_EQ(eval("struct.size('c5 x I9')"), "15");
  // Unknown letters and digits are skipped (pack would refuse them), other characters are not.
  EXPECT_EQ(eval("struct.size('z')"), "0");
  EXPECT_EQ(eval("struct.size('b z x5')"), "2");
  EXPECT_EQ(eval("struct.size(12)"), "0");
  EXPECT_EQ(eval("struct.size('b?')"),
            "error: bad argument #1 to 'size' (invalid format option '?')");
  EXPECT_EQ(eval("struct.size('s')"),
            "error: bad argument #1 to 'size' (option 's' has no fixed size)");
  EXPECT_EQ(eval("struct.size('bc0')"),
            "error: bad argument #1 to 'size' (option 'c0' has no fixed size)");
  EXPECT_EQ(eval("struct.size('b!3s')"), "error: alignment 3 is not a power of 2");
  EXPECT_EQ(eval("struct.size('i40')"), "error: integral size 40 is larger than limit of 32");
}

TEST_F(LuaStructTest, BadFormatsAndArgumentsAreLuaErrors) {
  EXPECT_EQ(eval("struct.pack('z', 1)"),
            "error: bad argument #1 to 'pack' (invalid format option 'z')");
  EXPECT_EQ(eval("struct.pack('b5', 1)"),
            "error: bad argument #1 to 'pack' (invalid format option '5')");
  EXPECT_EQ(eval(R"(struct.pack('\128', 1))"),
            "error: bad argument #1 to 'pack' (invalid format option '\x80')");
  EXPECT_EQ(eval("struct.pack(12, 1)"),
            "error: bad argument #1 to 'pack' (invalid format option '1')");
  // A missing argument reads as nil, not as "no value": Redis' marker below its buffer.
  EXPECT_EQ(eval("struct.pack('b')"),
            "error: bad argument #2 to 'pack' (number expected, got nil)");
  EXPECT_EQ(eval("struct.pack('bb', 1)"),
            "error: bad argument #3 to 'pack' (number expected, got nil)");
  EXPECT_EQ(eval("struct.pack('c')"),
            "error: bad argument #2 to 'pack' (string expected, got nil)");
  EXPECT_EQ(eval("struct.pack()"),
            "error: bad argument #1 to 'pack' (string expected, got no value)");
  EXPECT_EQ(eval("struct.pack('i2147483647', 1)"),
            "error: integral size 2147483647 is larger than limit of 32");
  EXPECT_EQ(eval("struct.pack('i2147483648', 1)"), "error: integral size overflow");
  EXPECT_EQ(eval("struct.pack('c2147483648', 'a')"), "error: integral size overflow");
  EXPECT_EQ(eval("struct.pack('c2147483647', 'a')"),
            "error: bad argument #3 to 'pack' (string too short)");
  EXPECT_EQ(eval("struct.unpack('z', 'a')"),
            "error: bad argument #1 to 'unpack' (invalid format option 'z')");
  EXPECT_EQ(eval("struct.unpack('b', nil)"),
            "error: bad argument #2 to 'unpack' (string expected, got nil)");
  EXPECT_EQ(eval("struct.unpack(nil, 'a')"),
            "error: bad argument #1 to 'unpack' (string expected, got nil)");
  for (const char* call :
       {"struct.unpack('b', '')", "struct.unpack('x', '')",
        "struct.unpack('I32', string.rep('a', 31))", "struct.unpack('c2147483647', 'a')"}) {
    EXPECT_EQ(eval(call), "error: bad argument #2 to 'unpack' (data string too short)") << call;
  }
  // The format ends at a zero byte; spaces are nothing.
  EXPECT_EQ(eval(R"(struct.pack('b\0b', 1, 2))"), "<01>");
  EXPECT_EQ(eval(R"(struct.unpack('b\0b', '\1'))"), "1 2");
  EXPECT_EQ(eval("struct.pack('x x', 1)"), "<0000>");
}

// The results and the final position share the C function's stack (Lua 5.1: 8000 slots) with
// the arguments; one more fails as in Redis.
TEST_F(LuaStructTest, TooManyResultsIsAnError) {
  EXPECT_EQ(eval("select('#', struct.unpack(string.rep('b', 7997), string.rep('a', 7997)))"),
            "7998");
  EXPECT_EQ(eval("select('#', struct.unpack(string.rep('b', 7996), string.rep('a', 7997), 1, 2))"),
            "error: stack overflow (too many results)");
}

// Every record cut short is an error, never a read past its end.
TEST_F(LuaStructTest, TruncatedDataIsAlwaysAnError) {
  const std::string format = "'<!8 b B h H l L T i I i3 I9 i32 f d c3 bc0 s x >d'";
  const std::string record = "struct.pack(" + format +
                             ", -1, 2, -3, 4, -5, 6, 7, -8, 9, -10, 11, -12, 1.5, 2.5, 'abc', "
                             "2, 'xy', 'zero', 1)";
  const std::string full = eval("struct.unpack(" + format + ", " + record + ")");
  EXPECT_EQ(full, "-1 2 -3 4 -5 6 7 -8 9 -10 11 -12 1.5 2.5 <616263> <7879> <7a65726f> 1 137");
  ASSERT_EQ(eval("#" + record), "136");
  for (int cut = 0; cut < 136; ++cut) {
    const std::string reply = eval("struct.unpack(" + format + ", string.sub(" + record + ", 1, " +
                                   std::to_string(cut) + "))");
    EXPECT_TRUE(reply.find("data string too short") != std::string::npos ||
                reply.find("unfinished string in data") != std::string::npos)
        << cut << ": " << reply;
  }
}

// Random formats over random bytes: every call returns or raises a Lua error.
TEST_F(LuaStructTest, RandomFormatsNeverBreakTheInterpreter) {
  constexpr std::string_view alphabet = "<>!xbBhHlLTiIcsfd 0123456789?";
  Rng rng(7);
  for (int round = 0; round < 3000; ++round) {
    std::string format;
    for (uint64_t i = rng.below(12); i > 0; --i) format += alphabet[rng.below(alphabet.size())];
    std::string data;
    for (uint64_t i = rng.below(40); i > 0; --i) data += static_cast<char>(rng.below(256));
    lua_settop(L_, 0);
    lua_getglobal(L_, "struct");
    lua_getfield(L_, -1, round % 2 == 0 ? "unpack" : "size");
    lua_pushlstring(L_, format.data(), format.size());
    lua_pushlstring(L_, data.data(), data.size());
    lua_pushinteger(L_, static_cast<lua_Integer>(rng.below(4)) + 1);
    const int status = lua_pcall(L_, 3, LUA_MULTRET, 0);
    EXPECT_TRUE(status == 0 || lua_isstring(L_, -1)) << format;
  }
  EXPECT_EQ(eval("struct.unpack('b', 'a')"), "97 2");
}

}  // namespace
}  // namespace ringcache::scripting
