// The tls-*, protected-mode and client limit options as redis.conf and CONFIG SET read them;
// protected mode's verdict; client-output-buffer-limit's hard and soft limits over time.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "core/server/clients/output_limits.h"
#include "core/server/config/config.h"
#include "core/server/protected_mode.h"
#include "tests/support/command_fixture.h"

namespace ringcache::server {
namespace {

using ::testing::HasSubstr;

TEST(SecurityConfigTest, TlsOptionsAsRedisNamesThem) {
  Config config;
  EXPECT_FALSE(config.tls.in_use());
  EXPECT_EQ(config.get("tls-auth-clients"), "yes");
  EXPECT_EQ(config.get("tls-session-caching"), "yes");
  EXPECT_EQ(config.get("tls-session-cache-size"), "20480");
  ASSERT_TRUE(config.set("tls-port", "6380"));
  ASSERT_TRUE(config.set("tls-cert-file", "/etc/node.crt"));
  ASSERT_TRUE(config.set("tls-auth-clients", "OPTIONAL"));
  ASSERT_TRUE(config.set("tls-prefer-server-ciphers", "yes"));
  ASSERT_TRUE(config.set("tls-protocols", "TLSv1.3"));
  EXPECT_TRUE(config.tls.in_use());
  EXPECT_EQ(config.tls.port, 6380);
  EXPECT_EQ(config.tls.settings.cert_file, "/etc/node.crt");
  EXPECT_EQ(config.tls.settings.auth_clients, TlsClientAuth::optional);
  EXPECT_EQ(config.get("tls-auth-clients"), "optional");
  EXPECT_TRUE(config.tls.settings.prefer_server_ciphers);
  EXPECT_EQ(config.get("tls-protocols"), "TLSv1.3");
  EXPECT_THAT(config.set("tls-auth-clients", "maybe").message(), HasSubstr("tls-auth-clients"));
  EXPECT_FALSE(Config::is_mutable("tls-port"));
  EXPECT_TRUE(Config::is_mutable("tls-cert-file"));
  ASSERT_TRUE(config.set("tls-replication", "yes"));
  EXPECT_TRUE(config.tls.replication);
  // A TLS-only node's cluster bus port counts from its tls-port.
  ASSERT_TRUE(config.set("port", "0"));
  EXPECT_EQ(config.cluster_bus_port(), 6380 + constants::cluster_port_offset);
}

TEST(SecurityConfigTest, OutputBufferLimitInRedisForm) {
  Config config;
  EXPECT_EQ(config.get("client-output-buffer-limit"),
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
  ASSERT_TRUE(config.set("client-output-buffer-limit", "pubsub 1mb 512kb 10 replica 1 2 3"));
  EXPECT_EQ(config.get("client-output-buffer-limit"),
            "normal 0 0 0 slave 1 2 3 pubsub 1048576 524288 10");
  EXPECT_THAT(config.set("client-output-buffer-limit", "normal 1 2").message(),
              HasSubstr("Wrong number of arguments in buffer limit configuration."));
  EXPECT_THAT(config.set("client-output-buffer-limit", "master 1 2 3").message(),
              HasSubstr("Invalid client class specified in buffer limit configuration."));
  EXPECT_THAT(config.set("client-output-buffer-limit", "normal 1 2 -3").message(),
              HasSubstr("Error in hard, soft or soft_seconds setting"));
  // A refused value changes nothing.
  EXPECT_EQ(config.output_buffer_limits.pubsub.hard_bytes, 1048576u);
}

TEST(SecurityConfigTest, QueryBufferLimitHasAFloor) {
  Config config;
  EXPECT_EQ(config.get("client-query-buffer-limit"), "1073741824");
  ASSERT_TRUE(config.set("client-query-buffer-limit", "2mb"));
  EXPECT_EQ(config.client_query_buffer_limit_bytes, 2 * 1024 * 1024);
  EXPECT_FALSE(config.set("client-query-buffer-limit", "1kb"));
}

TEST(OutputLimitsTest, ClassesAsRedisSortsClients) {
  OutputBufferLimits limits;
  Client client;
  EXPECT_EQ(output_limit_of(limits, client), &limits.normal);
  client.monitor = true;
  EXPECT_EQ(output_limit_of(limits, client), &limits.normal);
  client.channels.insert("news");
  EXPECT_EQ(output_limit_of(limits, client), &limits.pubsub);
  client.psync_requested = true;
  EXPECT_EQ(output_limit_of(limits, client), &limits.replica);
  client.replication_master = true;
  EXPECT_EQ(output_limit_of(limits, client), nullptr);
}

TEST(OutputLimitsTest, HardAtOnceSoftAfterItsSeconds) {
  OutputBufferLimits limits;
  limits.normal = {1000, 100, 2};
  Client client;
  const Instant start{};
  EXPECT_TRUE(output_limit_broken(limits, client, 1000, start));
  EXPECT_FALSE(output_limit_broken(limits, client, 99, start));
  EXPECT_FALSE(output_limit_broken(limits, client, 100, start));
  EXPECT_FALSE(output_limit_broken(limits, client, 500, start + std::chrono::seconds(2)));
  EXPECT_TRUE(output_limit_broken(limits, client, 500, start + std::chrono::milliseconds(2001)));
  // Dropping below the soft limit restarts its clock.
  EXPECT_FALSE(output_limit_broken(limits, client, 10, start + std::chrono::seconds(3)));
  EXPECT_FALSE(output_limit_broken(limits, client, 500, start + std::chrono::seconds(4)));
  EXPECT_FALSE(output_limit_broken(limits, client, 500, start + std::chrono::seconds(6)));
  EXPECT_TRUE(output_limit_broken(limits, client, 500, start + std::chrono::seconds(7)));
  limits.normal = {};
  EXPECT_FALSE(output_limit_broken(limits, client, 1u << 30, start + std::chrono::seconds(8)));
}

class SecurityCommandsTest : public testing::CommandFixture {};

TEST_F(SecurityCommandsTest, ProtectedModeRefusesOutsidersWithoutPassword) {
  EXPECT_TRUE(default_user_nopass(server()));
  EXPECT_FALSE(protected_mode_refuses(server(), "127.0.0.1:5000"));
  EXPECT_FALSE(protected_mode_refuses(server(), "127.3.2.1:5000"));
  EXPECT_FALSE(protected_mode_refuses(server(), "::1:5000"));
  EXPECT_FALSE(protected_mode_refuses(server(), "::ffff:127.0.0.1:5000"));
  EXPECT_TRUE(protected_mode_refuses(server(), "10.0.0.7:5000"));
  EXPECT_TRUE(protected_mode_refuses(server(), "fe80::1:5000"));
  EXPECT_TRUE(protected_mode_denied_reply().starts_with("-DENIED Redis is running in protected "
                                                        "mode because protected mode is enabled "
                                                        "and no password is set for the default "
                                                        "user."));
  EXPECT_TRUE(protected_mode_denied_reply().ends_with("from the outside.\r\n"));
  EXPECT_EQ(run({"CONFIG", "SET", "requirepass", "pw"}), "+OK\r\n");
  EXPECT_FALSE(protected_mode_refuses(server(), "10.0.0.7:5000"));
  server().config().requirepass.clear();
  EXPECT_EQ(run({"CONFIG", "SET", "protected-mode", "no"}), "+OK\r\n");
  EXPECT_FALSE(protected_mode_refuses(server(), "10.0.0.7:5000"));
}

TEST_F(SecurityCommandsTest, TlsSettingTheRuntimeRefusesLeavesTheOldOne) {
  // Without TLS in use, tls-* options are only stored.
  EXPECT_EQ(run({"CONFIG", "SET", "tls-cert-file", "a.crt"}), "+OK\r\n");
  restart([](Config& c) { c.tls.port = 6380; });
  // The manual runtime has no TLS: it refuses every setting, as a bad file would be refused.
  EXPECT_EQ(run({"CONFIG", "SET", "hz", "20", "tls-cert-file", "b.crt"}),
            "-ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to "
            "update TLS configuration. Check server logs.\r\n");
  EXPECT_EQ(server().config().tls.settings.cert_file, "");
  EXPECT_EQ(server().config().hz, constants::hz_default);
  EXPECT_EQ(run({"CONFIG", "SET", "hz", "20"}), "+OK\r\n");
}

}  // namespace
}  // namespace ringcache::server
