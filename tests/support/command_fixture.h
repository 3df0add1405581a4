#pragma once
// A test fixture that reads like a session with one node: a Server on a ManualRuntime, commands
// run through commands::execute exactly as the connection loop runs them.
//
//   EXPECT_EQ(run({"SET", "k", "v"}), "+OK\r\n");       // raw reply bytes
//   EXPECT_EQ(cli({"GET", "k"}), "\"v\"");               // as redis-cli prints it
//   EXPECT_EQ(reply({"GET", "k"}).text, "v");            // decoded tree
//   advance(std::chrono::seconds(2));                    // both clocks move; keys can expire
//   restart([](server::Config& c) { c.requirepass = "pw"; });  // a fresh node with other config
//   auto& other = connect();  run_as(other, {"CLIENT", "ID"});

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <initializer_list>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/commands/command.h"
#include "core/commands/dispatch.h"
#include "core/server/clients/client.h"
#include "core/server/server.h"
#include "tests/support/manual_runtime.h"
#include "tests/support/reply_decoder.h"

namespace ringcache::testing {

class CommandFixture : public ::testing::Test {
 protected:
  CommandFixture() { restart([](server::Config&) {}); }
  ~CommandFixture() override { server_->clients().clear(); }

  // A fresh node (empty keyspace, new statistics) whose config `adjust` changes first; the
  // fixture's default client is connected again.
  void restart(const std::function<void(server::Config&)>& adjust) {
    server::Config config;
    adjust(config);
    clients_.clear();
    server_ = std::make_unique<server::Server>(runtime_, std::move(config),
                                               commands::build_command_table());
    client_ = &connect();
  }

  // A new client connected to the node, as an accepted connection would register it.
  server::Client& connect() {
    server::Client& client = clients_.emplace_back();
    client.id = server_->next_client_id();
    client.address = "127.0.0.1:" + std::to_string(40000 + client.id);
    client.local_address = "127.0.0.1:6379";
    client.created_ms = runtime_.wall_time_ms();
    client.last_interaction = runtime_.now();
    client.kill = [this, &client] { killed_.push_back(client.id); };
    client.user = server_->acl().default_user();
    client.authenticated = !server_->acl().auth_required();
    server_->clients()[client.id] = &client;
    ++server_->stats().total_connections_received;
    return client;
  }

  // Runs one command as `client` and returns the raw reply bytes ("" for a command that does not
  // reply, such as SHUTDOWN).
  std::string run_as(server::Client& client, std::vector<std::string> argv) {
    std::vector<std::string_view> views(argv.begin(), argv.end());
    std::string out;
    protocol::ReplyWriter writer(out, client.resp_version);
    commands::execute(*server_, client, views, writer);
    return out;
  }
  std::string run(std::vector<std::string> argv) { return run_as(*client_, std::move(argv)); }

  // The reply decoded; fails the test when it is not exactly one well-formed reply.
  Reply reply(std::vector<std::string> argv) { return decode_one(run(std::move(argv))); }
  // The reply as redis-cli prints it.
  std::string cli(std::vector<std::string> argv) { return reply(std::move(argv)).cli(); }

  static Reply decode_one(const std::string& raw) {
    std::string_view input(raw);
    auto decoded = decode_reply(input);
    EXPECT_TRUE(decoded.has_value()) << "undecodable reply: " << raw;
    EXPECT_TRUE(input.empty()) << "more than one reply: " << raw;
    return decoded.value_or(Reply{});
  }

  void advance(Nanos duration) { runtime_.advance(duration); }

  ManualRuntime& runtime() { return runtime_; }
  server::Server& server() { return *server_; }
  server::Client& client() { return *client_; }
  // Ids of clients whose kill() was called (CLIENT KILL).
  const std::vector<uint64_t>& killed() const { return killed_; }

 private:
  ManualRuntime runtime_;
  std::unique_ptr<server::Server> server_;
  std::list<server::Client> clients_;  // a list: clients keep their address
  server::Client* client_ = nullptr;
  std::vector<uint64_t> killed_;
};

}  // namespace ringcache::testing
