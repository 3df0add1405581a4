// libFuzzer target for scripts: runs arbitrary Lua through EVAL (then EVALSHA) on one node and
// checks that every reply is complete, well-formed RESP and that the node still answers PING
// afterwards. A script may loop forever: the node's clock moves a millisecond per reading, so
// busy-reply-threshold passes, and this target's runtime stands in for the client that sends
// SCRIPT KILL (it stops even a script that wrote, as SHUTDOWN NOSAVE would end it).
//
// Input: the script, then after the first '\n' its arguments split at ' '; the first byte of
// the arguments picks how many are keys. fuzz/eval_fuzz.dict holds Lua words and redis.* calls.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/commands/command.h"
#include "core/commands/dispatch.h"
#include "core/protocol/reply_writer.h"
#include "core/server/server.h"
#include "tests/support/manual_runtime.h"
#include "tests/support/reply_decoder.h"

namespace {

using namespace ringcache;

constexpr size_t arguments_max = 16;
constexpr int64_t threshold_ms = 50;

// ManualRuntime (final) for everything but the clock and yield().
class FuzzRuntime final : public Runtime {
 public:
  // The clock moves a millisecond per reading, so busy-reply-threshold passes in a loop.
  Instant now() override {
    inner_.advance(std::chrono::milliseconds(1));
    return inner_.now();
  }
  // A timed-out script lets other clients in here: the one that would kill it.
  void yield() override {
    if (server != nullptr && server->running_script() != nullptr) {
      server->running_script()->kill_requested = true;
    }
  }
  int64_t wall_time_us() override { return inner_.wall_time_us(); }
  void spawn(std::string name, std::function<void()> body) override {
    inner_.spawn(std::move(name), std::move(body));
  }
  void sleep_until(Instant deadline) override { inner_.sleep_until(deadline); }
  std::unique_ptr<WaitQueue> make_wait_queue() override { return inner_.make_wait_queue(); }
  Result<std::unique_ptr<Listener>> listen(const std::string& host, uint16_t port) override {
    return inner_.listen(host, port);
  }
  Result<std::unique_ptr<Stream>> connect(const std::string& host, uint16_t port) override {
    return inner_.connect(host, port);
  }
  Result<std::unique_ptr<DatagramSocket>> open_datagram(const std::string& host,
                                                        uint16_t port) override {
    return inner_.open_datagram(host, port);
  }
  Disk& disk() override { return inner_.disk(); }
  Rng& rng() override { return inner_.rng(); }
  void log(LogLevel, std::string_view) override {}

  server::Server* server = nullptr;

 private:
  testing::ManualRuntime inner_;
};

std::vector<std::string_view> split(std::string_view text, char separator, size_t max) {
  std::vector<std::string_view> parts;
  while (!text.empty() && parts.size() < max) {
    const size_t end = text.find(separator);
    parts.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return parts;
}

std::string run(server::Server& server, server::Client& client,
                std::vector<std::string_view> argv) {
  std::string out;
  protocol::ReplyWriter writer(out, client.resp_version);
  commands::execute(server, client, argv, writer);
  std::string_view raw(out);
  if (raw.empty()) std::abort();
  while (!raw.empty()) {
    if (!testing::decode_reply(raw)) std::abort();
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(bytes), size);
  const size_t newline = input.find('\n');
  const std::string_view script = input.substr(0, newline);
  const std::string_view rest = newline == std::string_view::npos ? "" : input.substr(newline + 1);
  FuzzRuntime runtime;
  server::Config config;
  config.busy_reply_threshold_ms = threshold_ms;
  config.proto_max_bulk_len = 1 << 20;
  server::Server server(runtime, std::move(config), commands::build_command_table());
  runtime.server = &server;
  server::Client client;
  client.id = server.next_client_id();
  client.kill = [] {};
  server.clients()[client.id] = &client;

  std::vector<std::string_view> arguments =
      split(rest.empty() ? rest : rest.substr(1), ' ', arguments_max);
  const size_t keys = rest.empty() ? 0 : static_cast<uint8_t>(rest[0]) % (arguments.size() + 1);
  const std::string numkeys = std::to_string(keys);
  std::vector<std::string_view> argv{"EVAL", script, numkeys};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  run(server, client, argv);
  const std::string loaded = run(server, client, {"SCRIPT", "LOAD", script});
  if (loaded.starts_with("$40\r\n")) {
    argv[0] = "EVALSHA";
    const std::string sha = loaded.substr(5, 40);
    argv[1] = sha;
    run(server, client, argv);
  }
  if (run(server, client, {"PING"}) != "+PONG\r\n") std::abort();
  server.clients().clear();
  return 0;
}
