// The HTTP API's request-to-response mapping, without sockets: every endpoint and error case,
// against a node on a manual clock (the connection loop and real sockets are covered by
// tests/process/test_http_api.py).

#include "core/http/api.h"

#include <gmock/gmock.h>

#include <tuple>

#include "core/http/response_writer.h"
#include "core/protocol/base64.h"
#include "tests/support/command_fixture.h"

namespace ringcache::testing {
namespace {

using ::testing::HasSubstr;

class HttpApiTest : public CommandFixture {
 protected:
  http::Response call(std::string_view method, std::string_view target, std::string_view body = {},
                      std::string_view authorization = {}) {
    http::Api api(server(), client());
    http::Response response;
    api.handle({method, target, body, authorization}, response);
    return response;
  }
};

TEST_F(HttpApiTest, PutGetDeleteRoundTrip) {
  http::Response put = call("PUT", "/cache/greeting", R"({"value": "hello"})");
  EXPECT_EQ(put.status, 201);
  EXPECT_EQ(put.body, R"({"created":true})");
  EXPECT_EQ(call("PUT", "/cache/greeting", R"({"value": "hi"})").status, 200);
  http::Response get = call("GET", "/cache/greeting");
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.content_type, "application/json");
  EXPECT_EQ(get.body, R"({"value":"hi","ttl_remaining_ms":null})");
  EXPECT_EQ(cli({"GET", "greeting"}), "\"hi\"");  // the same keyspace as RESP
  EXPECT_EQ(call("DELETE", "/cache/greeting").body, R"({"deleted":true})");
  EXPECT_EQ(call("DELETE", "/cache/greeting").body, R"({"deleted":false})");
  http::Response missing = call("GET", "/cache/greeting");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, R"({"error":"not found"})");
}

TEST_F(HttpApiTest, TtlIsSetCountsDownAndExpires) {
  EXPECT_EQ(call("PUT", "/cache/t", R"({"value": "v", "ttl_ms": 5000})").status, 201);
  advance(std::chrono::milliseconds(500));
  EXPECT_EQ(call("GET", "/cache/t").body, R"({"value":"v","ttl_remaining_ms":4500})");
  advance(std::chrono::milliseconds(4501));  // a key lives through its expiry millisecond
  EXPECT_EQ(call("GET", "/cache/t").status, 404);
  // An expired key is absent: writing it again creates it.
  EXPECT_EQ(call("PUT", "/cache/t", R"({"value": "v", "ttl_ms": null})").status, 201);
}

TEST_F(HttpApiTest, KeysArePercentDecodedSegments) {
  EXPECT_EQ(call("PUT", "/cache/a%2Fb%20c%00", R"({"value": "v"})").status, 201);
  EXPECT_EQ(cli({"GET", std::string("a/b c\0", 6)}), "\"v\"");
  EXPECT_EQ(call("GET", "/cache/a/b").status, 404);
  EXPECT_EQ(call("GET", "/cache/").status, 404);
  EXPECT_EQ(call("GET", "/cache/%zz").status, 400);
  EXPECT_EQ(call("GET", "/cache/" + std::string(constants::http_key_bytes_max + 1, 'k')).status,
            414);
}

TEST_F(HttpApiTest, BinaryValuesTravelAsBase64) {
  run({"SET", "bin", std::string("\x00\xff", 2)});
  EXPECT_EQ(call("GET", "/cache/bin").status, 406);
  EXPECT_EQ(call("GET", "/cache/bin?encoding=base64").body,
            R"({"value":"AP8=","ttl_remaining_ms":null})");
  EXPECT_EQ(call("PUT", "/cache/b2?encoding=base64", R"({"value": "aGk="})").status, 201);
  EXPECT_EQ(cli({"GET", "b2"}), "\"hi\"");
  EXPECT_EQ(call("PUT", "/cache/b3?encoding=base64", R"({"value": "aGk"})").status, 400);
  EXPECT_EQ(call("GET", "/cache/bin?encoding=hex").status, 400);
  EXPECT_EQ(call("GET", "/cache/bin?x=1").body, R"({"error":"unknown query parameter \"x\""})");
}

TEST_F(HttpApiTest, BadBodiesAre400WithAJsonError) {
  auto error_of = [&](std::string_view body) {
    http::Response response = call("PUT", "/cache/k", body);
    EXPECT_EQ(response.status, 400) << body;
    return response.body;
  };
  EXPECT_EQ(error_of(R"({"value": 1})"), R"({"error":"\"value\" must be a string, not a number"})");
  EXPECT_EQ(error_of(R"({"value": "v", "ttl_ms": 1.5})"),
            R"({"error":"\"ttl_ms\" must be a positive integer (milliseconds) or null"})");
  EXPECT_THAT(error_of(R"({"value": "v", "ttl_ms": 0})"), HasSubstr("positive integer"));
  EXPECT_THAT(error_of(R"({"value": "v", "ttl": 5})"), HasSubstr("unknown field"));
  EXPECT_THAT(error_of(R"({"ttl_ms": 5})"), HasSubstr("missing field"));
  EXPECT_THAT(error_of(R"(["v"])"), HasSubstr("must be a JSON object"));
  EXPECT_THAT(error_of(R"({"value": "v")"), HasSubstr("malformed JSON"));
  EXPECT_THAT(error_of(R"({"value": "v", "ttl_ms": 9223372036854775807})"),
              HasSubstr("invalid expire time"));
  EXPECT_EQ(cli({"EXISTS", "k"}), "(integer) 0");
}

TEST_F(HttpApiTest, MethodsRoutesAndProbes) {
  http::Response wrong = call("POST", "/cache/k");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.extra_headers, "Allow: GET, HEAD, PUT, DELETE\r\n");
  EXPECT_EQ(call("DELETE", "/metrics").extra_headers, "Allow: GET, HEAD\r\n");
  EXPECT_EQ(call("GET", "/nothing").status, 404);
  EXPECT_EQ(call("GET", "/health").body, R"({"status":"ok"})");
  EXPECT_EQ(call("GET", "/ready").body, R"({"status":"ready"})");
  http::Response metrics = call("GET", "/metrics");
  EXPECT_EQ(metrics.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_THAT(metrics.body, HasSubstr("# TYPE ringcache_keyspace_hits_total counter\n"));
  server().request_shutdown();
  EXPECT_EQ(call("GET", "/ready").status, 503);
}

TEST_F(HttpApiTest, RequirepassMeansBearerTokenExceptForProbes) {
  restart([](server::Config& c) { c.requirepass = "s3cret"; });
  http::Response refused = call("GET", "/cache/k");
  EXPECT_EQ(refused.status, 401);
  EXPECT_THAT(refused.extra_headers, HasSubstr("WWW-Authenticate: Bearer"));
  EXPECT_EQ(call("GET", "/metrics", {}, "Bearer wrong").status, 401);
  EXPECT_EQ(call("GET", "/cache/k", {}, "Bearer s3cret").status, 404);
  EXPECT_EQ(call("GET", "/metrics", {}, "Bearer s3cret").status, 200);
  EXPECT_EQ(call("GET", "/health").status, 200);
}

// "Basic " + base64("user:password").
std::string basic(std::string_view credentials) {
  std::string encoded;
  protocol::base64_encode(credentials, encoded);
  return "Basic " + encoded;
}

TEST_F(HttpApiTest, BasicAuthActsAsTheAclUserAndDeniedKeysAre403WithoutDetail) {
  run({"SET", "secret", "the-secret-value"});
  run({"SET", "pub1", "public"});
  run({"ACL", "SETUSER", "reader", "on", ">pw", "+get", "%R~pub*"});
  const std::string reader = basic("reader:pw");
  http::Response allowed = call("GET", "/cache/pub1", {}, reader);
  EXPECT_EQ(allowed.status, 200);
  EXPECT_EQ(allowed.body, R"({"value":"public","ttl_remaining_ms":null})");
  for (const auto& [method, target, body] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"GET", "/cache/secret", ""},
           {"HEAD", "/cache/secret", ""},
           {"GET", "/cache/secret?encoding=base64", ""},
           {"PUT", "/cache/pub1", R"({"value": "x"})"},
           {"DELETE", "/cache/secret", ""},
           {"GET", "/metrics", ""}}) {
    http::Response denied = call(method, target, body, reader);
    EXPECT_EQ(denied.status, 403) << method << " " << target;
    EXPECT_EQ(denied.body, R"({"error":"forbidden"})") << method << " " << target;
    EXPECT_THAT(denied.body + denied.extra_headers, ::testing::Not(HasSubstr("the-secret")));
  }
  EXPECT_EQ(cli({"GET", "pub1"}), "\"public\"");  // the refused PUT changed nothing
  EXPECT_EQ(call("GET", "/cache/pub1", {}, basic("reader:wrong")).status, 401);
  EXPECT_EQ(call("GET", "/cache/pub1", {}, basic("nobody:pw")).status, 401);
  EXPECT_EQ(call("GET", "/cache/pub1", {}, "Basic !!!").status, 401);
  // 4 refusals (3 alike) and 2 failed logins; asked as the default user (the fixture's client
  // acts as whoever its last request logged in as).
  EXPECT_EQ(decode_one(run_as(connect(), {"ACL", "LOG"})).elements.size(), 6u);
}

TEST_F(HttpApiTest, BearerTokenActsAsTheUserWhoseItIs) {
  // The fixture's client acts as whoever the last request logged in as: users are changed on a
  // connection of the default user's.
  server::Client& default_user = connect();
  auto admin = [&](std::vector<std::string> argv) {
    EXPECT_THAT(run_as(default_user, argv), ::testing::Not(::testing::StartsWith("-")));
  };
  admin({"SET", "app:1", "mine"});
  admin({"SET", "other", "not-mine"});
  admin({"ACL", "SETUSER", "app", "on", ">app-token-0123456789", "+get", "~app:*"});
  const std::string token = "Bearer app-token-0123456789";
  EXPECT_EQ(call("GET", "/cache/app:1", {}, token).status, 200);
  EXPECT_EQ(call("GET", "/cache/other", {}, token).status, 403);  // app's keys only
  // A token that is nobody's is refused, even while the default user needs no password.
  EXPECT_EQ(call("GET", "/cache/app:1", {}, "Bearer app-token-wrong").status, 401);
  // A token two users share names neither.
  admin({"ACL", "SETUSER", "twin", "on", ">app-token-0123456789", "+@all", "~*"});
  EXPECT_EQ(call("GET", "/cache/other", {}, token).status, 401);
  // A user switched off is refused with its token.
  admin({"ACL", "DELUSER", "twin"});
  admin({"ACL", "SETUSER", "app", "off"});
  EXPECT_EQ(call("GET", "/cache/app:1", {}, token).status, 401);
}

TEST_F(HttpApiTest, WithTheDefaultUserOffAnonymousRequestsAre401) {
  run({"ACL", "SETUSER", "admin", "on", ">pw", "+@all", "~*", "&*"});
  run({"ACL", "SETUSER", "default", "off"});
  http::Response refused = call("GET", "/cache/k");
  EXPECT_EQ(refused.status, 401);
  EXPECT_THAT(refused.extra_headers, HasSubstr("WWW-Authenticate: Basic"));
  EXPECT_EQ(call("GET", "/metrics").status, 401);
  EXPECT_EQ(call("GET", "/cache/k", {}, basic("admin:pw")).status, 404);
  EXPECT_EQ(call("GET", "/metrics", {}, basic("admin:pw")).status, 200);
  EXPECT_EQ(call("GET", "/health").status, 200);
}

TEST_F(HttpApiTest, OutOfMemoryIs507) {
  restart([](server::Config& c) { c.eviction.maxmemory_bytes = 1; });
  EXPECT_EQ(call("PUT", "/cache/k", R"({"value": "v"})").status, 507);
}

TEST_F(HttpApiTest, RequestsCountAsTheCommandsTheyRun) {
  call("PUT", "/cache/k", R"({"value": "v"})");
  call("GET", "/cache/k");
  call("GET", "/cache/absent");
  EXPECT_THAT(reply({"INFO", "stats"}).text, HasSubstr("keyspace_hits:1\r\nkeyspace_misses:1"));
  EXPECT_THAT(reply({"INFO", "commandstats"}).text, HasSubstr("cmdstat_get:calls=2,"));
}

TEST(HttpResponseWriterTest, FramingFollowsVersionKeepAliveAndHead) {
  http::Response response;
  response.body = "{}";
  std::string out;
  http::write_response(response, {1, true, false, "Thu, 01 Jan 1970 00:00:00 GMT"}, out);
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\n"
                 "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  out.clear();
  http::write_response(response, {0, true, true, {}}, out);
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                 "Connection: keep-alive\r\n\r\n");
  out.clear();
  http::write_response(response, {1, false, false, {}}, out);
  EXPECT_THAT(out, HasSubstr("Connection: close\r\n"));
}

TEST(HttpResponseWriterTest, HttpDate) {
  EXPECT_EQ(http::http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(http::http_date(1'700'000'000), "Tue, 14 Nov 2023 22:13:20 GMT");
}

}  // namespace
}  // namespace ringcache::testing
