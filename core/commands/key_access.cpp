#include "core/commands/key_access.h"

#include <array>
#include <utility>

#include "core/protocol/ascii.h"
#include "core/server/command_table.h"

namespace ringcache::commands {
namespace {

using server::key_existence;
using server::key_reads;
using server::key_writes;

constexpr uint8_t read_write = key_reads | key_writes;

// SET reads the old value too when asked to return it (GET).
uint8_t set_key_access(std::span<const std::string_view> argv) {
  for (size_t i = 3; i < argv.size(); ++i) {
    if (protocol::iequals(argv[i], "GET")) return read_write;
  }
  return key_writes;
}

// BITFIELD only reads unless a SET or INCRBY operation writes (then it reads and writes).
uint8_t bitfield_key_access(std::span<const std::string_view> argv) {
  for (size_t i = 2; i < argv.size();) {
    if (protocol::iequals(argv[i], "SET") || protocol::iequals(argv[i], "INCRBY")) {
      return read_write;
    }
    i += protocol::iequals(argv[i], "GET") ? 3 : protocol::iequals(argv[i], "OVERFLOW") ? 2 : 1;
  }
  return key_reads;
}

struct KeyAccessEntry {
  std::string_view name;
  RedisKeyAccess access;
};

// Existence tests and cardinalities need a pattern of either kind (Redis marks their keys neither
// ACCESS nor a write); read-modify-write commands need both; commands that read some keys and
// write others say so per key (the first, then the rest).
constexpr RedisKeyAccess existence{key_existence};
constexpr RedisKeyAccess both{read_write};
constexpr RedisKeyAccess read_then_write{key_reads, key_writes};
constexpr RedisKeyAccess both_then_write{read_write, key_writes};
constexpr RedisKeyAccess write_then_read{key_writes, key_reads};
constexpr RedisKeyAccess both_then_read{read_write, key_reads};

constexpr std::array<KeyAccessEntry, 68> entries{{
    {"exists", existence},        {"touch", existence},          {"type", existence},
    {"ttl", existence},           {"pttl", existence},           {"expiretime", existence},
    {"pexpiretime", existence},   {"memory|usage", existence},   {"strlen", existence},
    {"hexists", existence},       {"hstrlen", existence},        {"hlen", existence},
    {"llen", existence},          {"scard", existence},          {"sismember", existence},
    {"smismember", existence},    {"zcard", existence},          {"xlen", existence},
    {"incr", both},               {"decr", both},                {"incrby", both},
    {"decrby", both},             {"incrbyfloat", both},         {"getset", both},
    {"getdel", both},             {"getex", both},               {"lpop", both},
    {"rpop", both},               {"spop", both},                {"zpopmin", both},
    {"zpopmax", both},            {"hincrby", both},             {"hincrbyfloat", both},
    {"zincrby", both},            {"lmpop", both},               {"zmpop", both},
    {"blpop", both},              {"brpop", both},               {"bzpopmin", both},
    {"bzpopmax", both},           {"blmpop", both},              {"bzmpop", both},
    {"copy", read_then_write},    {"sort", read_then_write},     {"georadius", read_then_write},
    {"georadiusbymember", read_then_write},                      {"rename", both_then_write},
    {"renamenx", both_then_write}, {"rpoplpush", both_then_write}, {"lmove", both_then_write},
    {"brpoplpush", both_then_write}, {"blmove", both_then_write}, {"smove", both_then_write},
    {"sinterstore", write_then_read}, {"sunionstore", write_then_read},
    {"sdiffstore", write_then_read}, {"zunionstore", write_then_read},
    {"zinterstore", write_then_read}, {"zdiffstore", write_then_read},
    {"zrangestore", write_then_read}, {"geosearchstore", write_then_read},
    {"bitop", write_then_read},   {"pfmerge", both_then_read},
    {"eval", both},               {"evalsha", both},             {"fcall", both},
    {"set", {0, 0, set_key_access}}, {"bitfield", {0, 0, bitfield_key_access}},
}};

}  // namespace

RedisKeyAccess redis_key_access(std::string_view name) {
  for (const KeyAccessEntry& entry : entries) {
    if (entry.name == name) return entry.access;
  }
  return {};
}

}  // namespace ringcache::commands
