// The DUMP/RESTORE codec below the commands: Redis' CRC-64, LZF, listpacks, the legacy blobs
// (ziplist, zipmap, intset) and the RDB string encodings, checked against the bytes Redis
// writes.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/persistence/crc64.h"
#include "core/persistence/legacy_blobs.h"
#include "core/persistence/listpack_codec.h"
#include "core/persistence/lzf.h"
#include "core/persistence/rdb_input.h"
#include "core/persistence/rdb_output.h"
#include "core/util/rng.h"
#include "tests/support/hex.h"

namespace ringcache::testing {
namespace {

using persistence::ListpackBuilder;
using Strings = std::vector<std::string>;

Strings listpack_elements(std::string_view listpack, bool* valid = nullptr) {
  Strings out;
  const bool ok = persistence::listpack_for_each(listpack, [&](std::string_view element) {
    out.emplace_back(element);
    return true;
  });
  if (valid) *valid = ok;
  return out;
}

TEST(DumpCodec, Crc64IsRedisVariant) {
  // Redis' own test vector (crc64.c).
  EXPECT_EQ(persistence::crc64("123456789"), 0xe9c6d914c4b8d9caULL);
  EXPECT_EQ(persistence::crc64(""), 0u);
  EXPECT_EQ(persistence::crc64_extend(persistence::crc64("1234"), "56789"),
            persistence::crc64("123456789"));
}

TEST(DumpCodec, LzfDecompressesRedisOutput) {
  // From `SET lzf <100 x 'a'>` then DUMP on redis-server 7.0.15: 00 c3 09 40 64 <9 bytes> ...
  const std::string nine = from_hex("016161e05700016161");
  EXPECT_EQ(persistence::lzf_decompress(nine, 100), std::string(100, 'a'));
  // Damage: a short output, a reference before the start, input cut inside a literal run.
  EXPECT_EQ(persistence::lzf_decompress(nine, 99), std::nullopt);
  EXPECT_EQ(persistence::lzf_decompress(nine, 101), std::nullopt);
  EXPECT_EQ(persistence::lzf_decompress(from_hex("e0ff00"), 10), std::nullopt);
  EXPECT_EQ(persistence::lzf_decompress(from_hex("05616161"), 6), std::nullopt);
}

TEST(DumpCodec, LzfCompressionRoundTrips) {
  Rng rng(7);
  std::vector<std::string> inputs{std::string(100, 'a'), std::string(100000, 'b'), "abcabcabcabc"};
  std::string random_bytes;
  for (int i = 0; i < 20000; ++i) random_bytes.push_back(static_cast<char>(rng.next_u64()));
  inputs.push_back(random_bytes);
  // Repeats just inside and just past the longest distance a reference can reach (8192).
  for (const size_t gap : {8189, 8190, 8191, 8192, 8193}) {
    inputs.push_back(random_bytes.substr(0, 40) + random_bytes.substr(100, gap - 40) +
                     random_bytes.substr(0, 40));
  }
  // Runs around the longest match (264) and the longest literal run (32).
  for (const size_t run : {31, 32, 33, 263, 264, 265, 529}) {
    inputs.push_back(random_bytes.substr(0, run) + std::string(run, 'q') +
                     random_bytes.substr(0, run));
  }
  for (const std::string& input : inputs) {
    const std::optional<std::string> compressed =
        persistence::lzf_compress(input, input.size() + input.size() / 32 + 2);
    ASSERT_TRUE(compressed.has_value()) << input.size();
    EXPECT_EQ(persistence::lzf_decompress(*compressed, input.size()), input) << input.size();
  }
  EXPECT_LT(persistence::lzf_compress(std::string(100, 'a'), 96)->size(), 10u);
  // Incompressible within the limit Redis sets (4 bytes saved): refused.
  EXPECT_EQ(persistence::lzf_compress(random_bytes.substr(0, 100), 96), std::nullopt);
}

TEST(DumpCodec, ListpackEncodingsMatchRedis) {
  // The listpack inside `RPUSH l a 1 -5000 hello 300000` dumped by redis-server 7.0.15.
  const std::string redis = from_hex("1c00000005008161020101f178ec038568656c6c6f06f2e0930404ff");
  ListpackBuilder builder;
  for (const char* element : {"a", "1", "-5000", "hello", "300000"}) builder.append(element);
  EXPECT_EQ(builder.finish(), redis);
  EXPECT_EQ(listpack_elements(redis), (Strings{"a", "1", "-5000", "hello", "300000"}));
}

TEST(DumpCodec, ListpackRoundTripsAroundEveryThreshold) {
  Strings elements;
  for (const int64_t n : std::initializer_list<int64_t>{0LL, 127LL, 128LL, -1LL, -4096LL, 4095LL, 4096LL, -4097LL, 32767LL,
                          32768LL, -32769LL, 8388607LL, 8388608LL, -8388609LL, 2147483647LL,
                          2147483648LL, -2147483649LL, INT64_MAX, INT64_MIN}) {
    elements.push_back(std::to_string(n));
  }
  // Not integers: too long, leading zero, '+', spaces, past int64.
  for (const char* text : {"", "01", "+1", " 1", "-0", "9223372036854775808", "1.5"}) {
    elements.emplace_back(text);
  }
  // String lengths around the 6-, 12- and 32-bit length forms, and backlens of 1 to 3 bytes
  // (an encoding of 127/128 bytes, and 16382/16383 where Redis' three-byte form starts).
  for (const size_t size : {63, 64, 125, 126, 127, 4095, 4096, 16377, 16378, 16379, 70000}) {
    elements.emplace_back(size, 'x');
  }
  ListpackBuilder builder;
  for (const std::string& element : elements) builder.append(element);
  const std::string packed = builder.finish();
  bool valid = false;
  EXPECT_EQ(listpack_elements(packed, &valid), elements);
  EXPECT_TRUE(valid);
}

TEST(DumpCodec, ListpackCountAbove65535IsUnknown) {
  ListpackBuilder builder;
  for (int i = 0; i < 70000; ++i) builder.append("e");
  const std::string packed = builder.finish();
  EXPECT_EQ(static_cast<uint8_t>(packed[4]), 0xff);
  EXPECT_EQ(static_cast<uint8_t>(packed[5]), 0xff);
  EXPECT_EQ(listpack_elements(packed).size(), 70000u);
}

TEST(DumpCodec, DamagedListpacksAreRefused) {
  ListpackBuilder builder;
  for (const char* element : {"a", "1", "-5000", "hello", "300000", "xxxxxxxxxxxxxxxxxxxxxxx"}) {
    builder.append(element);
  }
  const std::string packed = builder.finish();
  for (size_t cut = 0; cut < packed.size(); ++cut) {
    bool valid = true;
    listpack_elements(packed.substr(0, cut), &valid);
    EXPECT_FALSE(valid) << cut;
  }
  for (size_t bit = 0; bit < packed.size() * 8; ++bit) {
    std::string flipped = packed;
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    listpack_elements(flipped);  // must not crash or read out of bounds (ASan)
  }
}

// A ziplist built by hand in Redis' layout: "ab", 7 (an immediate), 300 (int16), "" .
TEST(DumpCodec, ZiplistAndZipmapAndIntset) {
  std::string entries;
  entries += from_hex("00") + from_hex("02") + "ab";   // prevlen 0, 6-bit string of 2
  entries += from_hex("04") + from_hex("f8");          // prevlen 4, immediate 7 (0xf1 + 7)
  entries += from_hex("02") + from_hex("c02c01");      // prevlen 2, int16 300
  entries += from_hex("04") + from_hex("00");          // prevlen 4, empty string
  const uint32_t bytes = 10 + static_cast<uint32_t>(entries.size()) + 1;
  std::string ziplist;
  for (int i = 0; i < 4; ++i) ziplist.push_back(static_cast<char>((bytes >> (8 * i)) & 0xff));
  const uint32_t tail = 10 + 4 + 2 + 4;  // the last entry's offset
  for (int i = 0; i < 4; ++i) ziplist.push_back(static_cast<char>((tail >> (8 * i)) & 0xff));
  ziplist += from_hex("0400") + entries + from_hex("ff");
  Strings out;
  EXPECT_TRUE(persistence::ziplist_for_each(ziplist, [&](std::string_view e) {
    out.emplace_back(e);
    return true;
  }));
  EXPECT_EQ(out, (Strings{"ab", "7", "300", ""}));
  for (size_t cut = 0; cut < ziplist.size(); ++cut) {
    EXPECT_FALSE(persistence::ziplist_for_each(ziplist.substr(0, cut), [](auto) { return true; }));
  }

  // zmlen 2, "f" -> "v" (one free byte), "g" -> "w".
  const std::string zipmap = from_hex("0201660101") + "vX" + from_hex("016701") + from_hex("00") + "w" +
                             from_hex("ff");
  out.clear();
  EXPECT_TRUE(persistence::zipmap_for_each(zipmap, [&](std::string_view e) {
    out.emplace_back(e);
    return true;
  }));
  EXPECT_EQ(out, (Strings{"f", "v", "g", "w"}));

  // `SADD is16 5 -3` on redis-server 7.0.15: width 2, two members.
  out.clear();
  EXPECT_TRUE(persistence::intset_for_each(from_hex("0200000002000000fdff0500"),
                                           [&](std::string_view e) {
                                             out.emplace_back(e);
                                             return true;
                                           }));
  EXPECT_EQ(out, (Strings{"-3", "5"}));
  // Unsorted, empty, a width that is not 2/4/8, a length the bytes do not hold.
  for (const char* bad : {"02000000020000000500fdff", "0200000000000000", "03000000010000000500",
                          "020000000300000005000600"}) {
    EXPECT_FALSE(persistence::intset_for_each(from_hex(bad), [](auto) { return true; })) << bad;
  }
}

TEST(DumpCodec, RdbStringsUseRedisIntegerForms) {
  const auto encoded = [](std::string_view value) {
    std::string out;
    persistence::rdb::append_string(out, value);
    return out;
  };
  // As redis-server 7.0.15 dumps `SET i 12345`, `SET neg -7`, `SET big 123456789012`.
  EXPECT_EQ(encoded("12345"), from_hex("c13930"));
  EXPECT_EQ(encoded("-7"), from_hex("c0f9"));
  EXPECT_EQ(encoded("123456789012"), from_hex("0c") + "123456789012");
  EXPECT_EQ(encoded("2147483647"), from_hex("c2ffffff7f"));
  EXPECT_EQ(encoded("007"), from_hex("03") + "007");
  for (const std::string& value : std::vector<std::string>{"0", "-128", "127", "128", "-32769", "-2147483648", "2147483648",
                                  std::string(63, 'y'), std::string(64, 'y'),
                                  std::string(16383, 'y'), std::string(16384, 'y')}) {
    const std::string bytes = encoded(value);
    persistence::rdb::Input in(bytes);
    EXPECT_EQ(in.string(), value);
    EXPECT_EQ(in.remaining(), 0u);
  }
}

TEST(DumpCodec, LengthsAndLzfClaimsAreBounded) {
  // A 64-bit length far beyond the bytes present: refused, nothing allocated.
  const std::string huge_bytes = from_hex("81ffffffffffffffff") + "abc";
  persistence::rdb::Input huge(huge_bytes);
  EXPECT_EQ(huge.string(), std::nullopt);
  // An LZF string claiming 1 GB from 3 bytes: refused before decompressing.
  const std::string lzf_bytes = from_hex("c3038040000000") + "abc";
  persistence::rdb::Input lzf(lzf_bytes);
  EXPECT_EQ(lzf.string(), std::nullopt);
  // An unknown special encoding.
  const std::string special_bytes = from_hex("c5");
  persistence::rdb::Input special(special_bytes);
  EXPECT_EQ(special.string(), std::nullopt);
}

}  // namespace
}  // namespace ringcache::testing
