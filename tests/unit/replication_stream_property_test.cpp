// Property: a replica fed the primary's replication stream — cut into any pieces, with the link
// lost at any points and resumed from the replica's acknowledged offset out of the backlog, as a
// partial resync does — ends with exactly the primary's keyspace. The primary runs random
// writes of every type (transactions, random pops, relative TTLs included) through dispatch, as
// clients do; its stream is what the StreamSource sink made of them.

// Project headers first: rapidcheck's RC_ASSERT must be the one defined last (core/util/assert.h
// uses the same name).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/commands/command.h"
#include "core/commands/dispatch.h"
#include "core/replication/stream_applier.h"
#include "core/replication/stream_source.h"
#include "core/server/server.h"
#include "tests/support/manual_runtime.h"
#include "tests/support/reply_decoder.h"

namespace ringcache::testing {
namespace {

// One node and a client of it.
struct TestNode {
  explicit TestNode(ManualRuntime& runtime)
      : server(runtime, server::Config{}, commands::build_command_table()) {
    client.id = server.next_client_id();
    client.authenticated = true;
  }
  std::string run(const std::vector<std::string>& argv) {
    std::vector<std::string_view> views(argv.begin(), argv.end());
    return run(views);
  }
  std::string run(std::span<const std::string_view> argv) {
    std::string out;
    protocol::ReplyWriter writer(out);
    commands::execute(server, client, argv, writer);
    return out;
  }
  // Every key with its type, value and expiry, in an order that does not depend on the table.
  std::map<std::string, std::string> dump() {
    std::map<std::string, std::string> keys;
    for (const Reply& key : decode(run({"KEYS", "*"})).elements) {
      keys[key.text] = describe(key.text);
    }
    return keys;
  }
  std::string describe(const std::string& key) {
    const std::string type = decode(run({"TYPE", key})).text;
    std::string value;
    if (type == "string") value = run({"GET", key});
    if (type == "list") value = run({"LRANGE", key, "0", "-1"});
    if (type == "hash") value = sorted(run({"HGETALL", key}));
    if (type == "set") value = sorted(run({"SMEMBERS", key}));
    if (type == "zset") value = run({"ZRANGE", key, "0", "-1", "WITHSCORES"});
    return type + " " + value + " " + run({"PEXPIRETIME", key});
  }
  static Reply decode(const std::string& raw) {
    std::string_view input(raw);
    return decode_reply(input).value_or(Reply{});
  }
  static std::string sorted(const std::string& raw) {
    std::vector<std::string> items;
    for (const Reply& item : decode(raw).elements) items.push_back(item.text);
    std::sort(items.begin(), items.end());
    std::string out;
    for (const auto& item : items) out += item + ",";
    return out;
  }

  server::Server server;
  server::Client client;
};

// A random write of any type on a few keys (type clashes give errors, which propagate nothing).
rc::Gen<std::vector<std::string>> write_command() {
  const auto key = rc::gen::element<std::string>("a", "b", "c", "d");
  const auto value = rc::gen::element<std::string>("1", "2", "x", "yy", "-5", "3.5");
  return rc::gen::oneOf(rc::gen::apply(
                            [](std::string k, std::string v) {
                              return std::vector<std::string>{"SET", k, v};
                            },
                            key, value),
                        rc::gen::apply(
                            [](std::string k) {
                              return std::vector<std::string>{"SET", k, "v", "PX", "100000"};
                            },
                            key),
                        rc::gen::apply(
                            [](std::string k) {
                              return std::vector<std::string>{"INCR", k};
                            },
                            key),
                        rc::gen::apply(
                            [](std::string k) {
                              return std::vector<std::string>{"INCRBYFLOAT", k, "1.5"};
                            },
                            key),
                        rc::gen::apply(
                            [](std::string k, std::string v) {
                              return std::vector<std::string>{"APPEND", k, v};
                            },
                            key, value),
                        rc::gen::apply(
                            [](std::string k, std::string v) {
                              return std::vector<std::string>{"RPUSH", k, v, "z"};
                            },
                            key, value),
                        rc::gen::apply(
                            [](std::string k) {
                              return std::vector<std::string>{"LPOP", k};
                            },
                            key),
                        rc::gen::apply(
                            [](std::string k, std::string v) {
                              return std::vector<std::string>{"SADD", k, v, "m"};
                            },
                            key, value),
                        rc::gen::apply(
                            [](std::string k) {
                              return std::vector<std::string>{"SPOP", k};
                            },
                            key),
                        rc::gen::apply(
                            [](std::string k, std::string v) {
                              return std::vector<std::string>{"HSET", k, v, "f"};
                            },
                            key, value),
                        rc::gen::apply(
                            [](std::string k, std::string v) {
                              return std::vector<std::string>{"HDEL", k, v};
                            },
                            key, value),
                        rc::gen::apply(
                            [](std::string k, std::string v) {
                              return std::vector<std::string>{"ZADD", k, "2", v};
                            },
                            key, value),
                        rc::gen::apply(
                            [](std::string k, std::string v) {
                              return std::vector<std::string>{"ZINCRBY", k, "1", v};
                            },
                            key, value),
                        rc::gen::apply(
                            [](std::string k) {
                              return std::vector<std::string>{"EXPIRE", k, "50"};
                            },
                            key),
                        rc::gen::apply(
                            [](std::string k) {
                              return std::vector<std::string>{"PERSIST", k};
                            },
                            key),
                        rc::gen::apply(
                            [](std::string k) {
                              return std::vector<std::string>{"DEL", k};
                            },
                            key),
                        rc::gen::apply(
                            [](std::string k, std::string k2) {
                              return std::vector<std::string>{"RENAME", k, k2};
                            },
                            key, key),
                        rc::gen::just(std::vector<std::string>{"MULTI"}),
                        rc::gen::just(std::vector<std::string>{"EXEC"}));
}

RC_GTEST_PROP(ReplicationStreamProperty, ReplicaFedAnyChunkingAndReconnectsEqualsPrimary, ()) {
  ManualRuntime runtime;
  TestNode primary(runtime);
  replication::StreamSource source(runtime);
  source.create_backlog(1 << 22);
  primary.server.add_propagation_sink(&source);
  const auto writes = *rc::gen::container<std::vector<std::vector<std::string>>>(write_command());
  for (const auto& argv : writes) primary.run(argv);
  primary.run({"EXEC"});  // closes a transaction left open (an error otherwise: harmless)
  const replication::Backlog& backlog = *source.backlog();

  TestNode replica(runtime);
  replica.server.keyspace().set_expiry_mode(store::ExpiryMode::keep_expired);
  server::Client master;
  master.id = replica.server.next_client_id();
  master.replication_master = true;
  master.authenticated = true;
  const auto apply = [&](std::span<const server::ArgvView> unit, std::string_view) {
    for (const server::ArgvView argv : unit) {
      std::string out;
      protocol::ReplyWriter writer(out);
      commands::execute(replica.server, master, argv, writer);
    }
  };
  // Pieces of the stream; a piece of size 0 is a lost link: the replica resumes from what it
  // applied, dropping what it had of an unfinished unit (its master client goes with the link).
  const auto pieces = *rc::gen::container<std::vector<size_t>>(rc::gen::inRange<size_t>(0, 40));
  auto applier = std::make_unique<replication::StreamApplier>(0, apply);
  uint64_t next = 1;
  size_t reconnects = 0;
  for (size_t piece : pieces) {
    if (next > backlog.end_offset()) break;
    if (piece == 0) {
      next = applier->applied_offset() + 1;
      replica.server.forget_transaction(master);
      applier = std::make_unique<replication::StreamApplier>(applier->applied_offset(), apply);
      ++reconnects;
      continue;
    }
    std::string bytes;
    next += backlog.copy_from(next, piece, bytes);
    RC_ASSERT(applier->feed(bytes).is_ok());
  }
  std::string rest;
  backlog.copy_from(next, backlog.end_offset() + 1 - next, rest);
  RC_ASSERT(applier->feed(rest).is_ok());
  RC_ASSERT(applier->applied_offset() == backlog.end_offset());
  RC_ASSERT(replica.dump() == primary.dump());
  RC_CLASSIFY(reconnects > 0, "with reconnects");
}

}  // namespace
}  // namespace ringcache::testing
