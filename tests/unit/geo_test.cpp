// The geo family as a session: scores, positions, distances and hashes are what redis-server 7.0
// answers for the same commands.

#include <string>

#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

class GeoTest : public CommandFixture {
 protected:
  GeoTest() {
    run({"GEOADD", "g", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania"});
  }
};

TEST_F(GeoTest, ScoresArePositionsGeohashed) {
  EXPECT_EQ(cli({"ZSCORE", "g", "Palermo"}), "\"3479099956230698\"");
  EXPECT_EQ(cli({"GEOADD", "g", "CH", "XX", "13.361389", "38.115556", "Catania"}),
            "(integer) 1");
  EXPECT_EQ(cli({"ZSCORE", "g", "Catania"}), "\"3479099956230698\"");
  EXPECT_EQ(cli({"GEOADD", "g", "NX", "1", "1", "Catania"}), "(integer) 0");
}

TEST_F(GeoTest, PositionsDistancesAndHashes) {
  EXPECT_EQ(run({"GEOPOS", "g", "Palermo", "nope"}),
            "*2\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n*-1\r\n");
  EXPECT_EQ(cli({"GEODIST", "g", "Palermo", "Catania", "km"}), "\"166.2742\"");
  EXPECT_EQ(cli({"GEODIST", "g", "Palermo", "nope"}), "(nil)");
  EXPECT_EQ(run({"GEOHASH", "g", "Palermo", "Catania", "x"}),
            "*3\r\n$11\r\nsqc8b49rny0\r\n$11\r\nsqdtr74hyu0\r\n$-1\r\n");
  client().resp_version = 3;
  EXPECT_EQ(run({"GEOPOS", "g", "Palermo"}),
            "*1\r\n*2\r\n,13.36138933897018433\r\n,38.11555639549629859\r\n");
}

TEST_F(GeoTest, SearchesReplyAndStoreAsRedis) {
  run({"GEOADD", "g", "12.758489", "38.788135", "edge1", "17.241510", "38.788135", "edge2"});
  EXPECT_EQ(run({"GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC",
                 "WITHDIST", "WITHCOORD", "WITHHASH"}),
            "*2\r\n*4\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n:3479447370796909\r\n*2\r\n"
            "$20\r\n15.08726745843887329\r\n$20\r\n37.50266842333162032\r\n"
            "*4\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n:3479099956230698\r\n*2\r\n"
            "$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n");
  EXPECT_EQ(run({"GEOSEARCH", "g", "FROMMEMBER", "Palermo", "BYBOX", "400", "400", "km", "DESC",
                 "COUNT", "2"}),
            "*2\r\n$7\r\nCatania\r\n$5\r\nedge1\r\n");
  EXPECT_EQ(cli({"GEORADIUS", "g", "15", "37", "200", "km", "STORE", "dst"}), "(integer) 2");
  EXPECT_EQ(run({"ZRANGE", "dst", "0", "-1", "WITHSCORES"}),
            "*4\r\n$7\r\nPalermo\r\n$16\r\n3479099956230698\r\n"
            "$7\r\nCatania\r\n$16\r\n3479447370796909\r\n");
  EXPECT_EQ(cli({"GEORADIUSBYMEMBER", "g", "Palermo", "100", "km", "STOREDIST", "dd"}),
            "(integer) 2");
  EXPECT_EQ(run({"ZRANGE", "dd", "0", "-1", "WITHSCORES"}),
            "*4\r\n$7\r\nPalermo\r\n$1\r\n0\r\n$5\r\nedge1\r\n$18\r\n91.400658605814272\r\n");
}

TEST_F(GeoTest, SearchErrors) {
  EXPECT_EQ(cli({"GEOSEARCH", "g", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHDIST",
                 "STORE", "x"}),
            "(error) ERR syntax error");
  EXPECT_EQ(cli({"GEOSEARCH", "g", "FROMMEMBER", "nope", "BYRADIUS", "1", "km"}),
            "(error) ERR could not decode requested zset member");
  EXPECT_EQ(cli({"GEORADIUS", "g", "15", "37", "200", "km", "ANY"}),
            "(error) ERR the ANY argument requires COUNT argument");
  EXPECT_EQ(cli({"GEOSEARCHSTORE", "d", "g", "FROMLONLAT", "15", "37", "BYBOX", "1", "1", "km",
                 "WITHDIST"}),
            "(error) ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD "
            "options");
  EXPECT_EQ(cli({"GEORADIUS_RO", "g", "15", "37", "200", "km", "STORE", "x"}),
            "(error) ERR syntax error");
}

TEST_F(GeoTest, Errors) {
  EXPECT_EQ(cli({"GEOADD", "g", "200", "100", "x"}),
            "(error) ERR invalid longitude,latitude pair 200.000000,100.000000");
  EXPECT_EQ(cli({"GEOADD", "g", "nx", "xx", "1", "1", "x"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"GEOADD", "g", "1", "1", "x", "2"}), "(error) ERR syntax error");
  EXPECT_EQ(cli({"GEODIST", "g", "Palermo", "Catania", "foo"}),
            "(error) ERR unsupported unit provided. please use M, KM, FT, MI");
  EXPECT_EQ(cli({"GEODIST", "g", "Palermo", "Catania", "km", "x"}), "(error) ERR syntax error");
}

}  // namespace
}  // namespace ringcache::testing
