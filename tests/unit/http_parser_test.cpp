// The HTTP request reader: request forms, every refusal with its status, pipelining, and the
// properties that matter for a network reader: however the bytes are split the same requests
// come out, and no input crashes it.

#include "core/protocol/http_parser.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace ringcache::protocol {
namespace {

struct Seen {
  std::string method, target, body;
  int version_minor = 0;
  bool keep_alive = false;
  std::vector<std::pair<std::string, std::string>> headers;
  bool operator==(const Seen&) const = default;
};

struct Fed {
  std::vector<Seen> requests;
  int error_status = 0;
  size_t unconsumed = 0;
  bool operator==(const Fed&) const = default;
};

Seen copy(const HttpRequestView& request) {
  Seen seen{std::string(request.method), std::string(request.target), std::string(request.body),
            request.version_minor, request.keep_alive, {}};
  for (const HttpHeader& h : request.headers) seen.headers.emplace_back(h.name, h.value);
  return seen;
}

// Feeds `chunks` in order as a connection would: append, then parse every complete request.
Fed feed(const std::vector<std::string>& chunks, HttpParserLimits limits = {}) {
  HttpParser parser(limits);
  std::string buffer;
  size_t begin = 0;
  Fed out;
  for (const std::string& chunk : chunks) {
    buffer += chunk;
    for (;;) {
      const auto outcome = parser.parse(std::string_view(buffer).substr(begin));
      if (outcome == HttpParser::Outcome::incomplete) break;
      if (outcome == HttpParser::Outcome::error) {
        out.error_status = parser.error_status();
        return out;
      }
      out.requests.push_back(copy(parser.request()));
      begin += parser.consumed();
    }
  }
  out.unconsumed = buffer.size() - begin;
  return out;
}

Fed feed_whole(const std::string& bytes, HttpParserLimits limits = {}) {
  return feed({bytes}, limits);
}

int status_of(const std::string& bytes, HttpParserLimits limits = {}) {
  return feed_whole(bytes, limits).error_status;
}

const std::string get_request = "GET /cache/k HTTP/1.1\r\nHost: x\r\n\r\n";

TEST(HttpParserTest, SimpleGet) {
  const Fed fed = feed_whole(get_request);
  ASSERT_EQ(fed.requests.size(), 1u);
  const Seen& r = fed.requests[0];
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/cache/k");
  EXPECT_EQ(r.version_minor, 1);
  EXPECT_TRUE(r.keep_alive);
  EXPECT_EQ(r.headers, (std::vector<std::pair<std::string, std::string>>{{"Host", "x"}}));
  EXPECT_EQ(fed.unconsumed, 0u);
}

TEST(HttpParserTest, BodyByContentLengthAndHeaderLookup) {
  HttpParser parser;
  const std::string bytes =
      "PUT /cache/a HTTP/1.1\r\nhost: h\r\nContent-Length:  5 \r\nX-Empty:\r\n\r\nhello";
  ASSERT_EQ(parser.parse(bytes), HttpParser::Outcome::request);
  EXPECT_EQ(parser.request().body, "hello");
  EXPECT_EQ(parser.request().header("CONTENT-LENGTH"), "5");
  EXPECT_EQ(parser.request().header("x-empty"), "");
  EXPECT_EQ(parser.request().header("absent"), "");
  EXPECT_EQ(parser.consumed(), bytes.size());
}

TEST(HttpParserTest, PipelinedRequestsAllParseAndTheTailWaits) {
  const std::string put = "PUT /p HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nab";
  const Fed fed = feed_whole(get_request + put + get_request + "GET /half HTTP/1.1\r\nHo");
  ASSERT_EQ(fed.requests.size(), 3u);
  EXPECT_EQ(fed.requests[1].body, "ab");
  EXPECT_EQ(fed.unconsumed, 22u);
}

TEST(HttpParserTest, KeepAliveFollowsVersionAndConnectionHeader) {
  auto keep = [](const std::string& bytes) { return feed_whole(bytes).requests.at(0).keep_alive; };
  EXPECT_FALSE(keep("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"));
  EXPECT_FALSE(keep("GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, Close\r\n\r\n"));
  EXPECT_FALSE(keep("GET / HTTP/1.0\r\n\r\n"));
  EXPECT_TRUE(keep("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
}

TEST(HttpParserTest, LeadingEmptyLinesAreIgnored) {
  EXPECT_EQ(feed_whole("\r\n\r\n" + get_request).requests.size(), 1u);
}

TEST(HttpParserTest, MalformedRequestsAre400) {
  for (const std::string& bad : std::vector<std::string>{
           "GET\r\n\r\n", "GET /a\r\n\r\n", "GET  /a HTTP/1.1\r\nHost: h\r\n\r\n",
           "GET a HTTP/1.1\r\nHost: h\r\n\r\n", "GET http://x/ HTTP/1.1\r\nHost: h\r\n\r\n",
           "GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", "G(T /a HTTP/1.1\r\nHost: h\r\n\r\n",
           "GET /a HTTP/1.1 \r\nHost: h\r\n\r\n", "GET /a HTTP/1\r\nHost: h\r\n\r\n",
           "GET /a HTTP/1.1\nHost: h\r\n\r\n", "GET /a HTTP/1.1\r\nHost h\r\n\r\n",
           "GET /a HTTP/1.1\r\nHost : h\r\n\r\n", "GET /a HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n",
           "GET /a HTTP/1.1\r\nHost: h\x01\r\n\r\n", "GET /a HTTP/1.1\r\n\r\n",
           "GET /a HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
           "PUT /a HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n",
           "PUT /a HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n",
           "PUT /a HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
           "PUT /a HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
           "*1\r\n$4\r\nPING\r\n", std::string("GET /\0 HTTP/1.1\r\n", 17)}) {
    EXPECT_EQ(status_of(bad), 400) << bad;
  }
}

TEST(HttpParserTest, RefusalsCarryTheirStatus) {
  EXPECT_EQ(status_of("GET / HTTP/2.0\r\n\r\n"), 505);
  EXPECT_EQ(status_of("GET / HTTP/1.2\r\nHost: h\r\n\r\n"), 505);
  EXPECT_EQ(status_of("PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"), 501);
  EXPECT_EQ(status_of("PUT / HTTP/1.1\r\nHost: h\r\nExpect: magic\r\n\r\n"), 417);
  HttpParserLimits small;
  small.request_line_bytes_max = 32;
  small.head_bytes_max = 64;
  small.headers_max = 2;
  small.body_bytes_max = 10;
  EXPECT_EQ(status_of("GET /" + std::string(40, 'a'), small), 414);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: h\r\nX: " + std::string(60, 'a'), small), 431);
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n", small), 431);
  EXPECT_EQ(status_of("PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", small), 413);
  EXPECT_EQ(status_of("PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
            413);
}

TEST(HttpParserTest, ExpectContinueIsOfferedOnceWhileTheBodyIsMissing) {
  HttpParser parser;
  std::string bytes = "PUT /a HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
  EXPECT_EQ(parser.parse(bytes), HttpParser::Outcome::incomplete);
  EXPECT_TRUE(parser.awaiting_continue());
  EXPECT_EQ(parser.bytes_missing_hint(), 3u);
  parser.continue_sent();
  EXPECT_FALSE(parser.awaiting_continue());
  bytes += "abc";
  EXPECT_EQ(parser.parse(bytes), HttpParser::Outcome::request);
  EXPECT_EQ(parser.request().body, "abc");
  EXPECT_FALSE(parser.awaiting_continue());
}

// Requests as a client would write them, for the properties below.
std::string render(const std::string& method, const std::string& path,
                   const std::vector<std::pair<std::string, std::string>>& headers,
                   const std::string& body) {
  std::string out = method + " " + path + " HTTP/1.1\r\nHost: test\r\n";
  for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return out;
}

rc::Gen<std::string> token() {
  return rc::gen::nonEmpty(rc::gen::container<std::string>(
      rc::gen::elementOf(std::string("abcXYZ09-_!~"))));
}

rc::Gen<std::string> request_bytes() {
  return rc::gen::exec([] {
    const auto method =
        *rc::gen::elementOf(std::vector<std::string>{"GET", "PUT", "DELETE", "HEAD"});
    // Fewer headers than headers_max: the property is about splitting, not limits.
    const auto count = *rc::gen::inRange<size_t>(0, 16);
    const auto headers = *rc::gen::container<std::vector<std::pair<std::string, std::string>>>(
        count, rc::gen::pair(rc::gen::just(std::string("X-H")), token()));
    return render(method, "/" + *token(), headers, *rc::gen::arbitrary<std::string>());
  });
}

// Cuts `bytes` at the given (sorted, deduplicated) positions.
std::vector<std::string> split_at(const std::string& bytes, std::vector<size_t> cuts) {
  std::vector<std::string> chunks;
  size_t last = 0;
  for (size_t cut : cuts) {
    cut = bytes.empty() ? 0 : cut % bytes.size();
    if (cut <= last) continue;
    chunks.push_back(bytes.substr(last, cut - last));
    last = cut;
  }
  chunks.push_back(bytes.substr(last));
  return chunks;
}

RC_GTEST_PROP(HttpParserProperty, SplittingNeverChangesTheRequests, ()) {
  const auto requests = *rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(
      request_bytes()));
  std::string bytes;
  for (const auto& r : requests) bytes += r;
  auto cuts = *rc::gen::container<std::vector<size_t>>(rc::gen::arbitrary<size_t>());
  std::sort(cuts.begin(), cuts.end(), [&](size_t a, size_t b) {
    return a % bytes.size() < b % bytes.size();
  });
  const Fed whole = feed_whole(bytes);
  RC_ASSERT(whole.requests.size() == requests.size());
  RC_ASSERT(feed(split_at(bytes, cuts)) == whole);
}

RC_GTEST_PROP(HttpParserProperty, ByteByByteEqualsWhole, ()) {
  const std::string bytes = *request_bytes();
  std::vector<std::string> chunks;
  for (char c : bytes) chunks.emplace_back(1, c);
  RC_ASSERT(feed(chunks) == feed_whole(bytes));
}

// Garbage, and requests with bytes flipped: never a crash, and every error is a 4xx/5xx with
// the same verdict whether the bytes come at once or one by one (limits large enough that
// partial lines cannot hit them).
RC_GTEST_PROP(HttpParserProperty, GarbageNeverCrashesAndIsSplitInvariant, ()) {
  std::string bytes = *rc::gen::oneOf(rc::gen::arbitrary<std::string>(), request_bytes());
  const auto flips = *rc::gen::container<std::vector<std::pair<size_t, char>>>(
      rc::gen::pair(rc::gen::arbitrary<size_t>(), rc::gen::arbitrary<char>()));
  for (const auto& [at, c] : flips) {
    if (!bytes.empty()) bytes[at % bytes.size()] = c;
  }
  const Fed whole = feed_whole(bytes);
  RC_ASSERT(whole.error_status == 0 || (whole.error_status >= 400 && whole.error_status < 600));
  std::vector<std::string> chunks;
  for (char c : bytes) chunks.emplace_back(1, c);
  RC_ASSERT(feed(chunks) == whole);
}

}  // namespace
}  // namespace ringcache::protocol
