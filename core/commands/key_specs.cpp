#include "core/commands/key_specs.h"

#include "core/protocol/ascii.h"
#include "core/server/command_table.h"

namespace ringcache::commands {
namespace {

using server::ks_access;
using server::ks_delete;
using server::ks_insert;
using server::ks_ow;
using server::ks_rm;
using server::ks_ro;
using server::ks_rw;
using server::ks_update;
using server::ks_variable_flags;

// The combinations Redis 7.0 uses, named after their flags.
constexpr uint16_t ro = ks_ro;  // existence, type or size only: the value is not read
constexpr uint16_t ro_access = ks_ro | ks_access;
constexpr uint16_t rw_access = ks_rw | ks_access;
constexpr uint16_t rw_update = ks_rw | ks_update;
constexpr uint16_t rw_insert = ks_rw | ks_insert;
constexpr uint16_t rw_delete = ks_rw | ks_delete;
constexpr uint16_t rw_access_update = ks_rw | ks_access | ks_update;
constexpr uint16_t rw_access_delete = ks_rw | ks_access | ks_delete;
constexpr uint16_t rw_access_insert = ks_rw | ks_access | ks_insert;
constexpr uint16_t ow_update = ks_ow | ks_update;
constexpr uint16_t ow_insert = ks_ow | ks_insert;
constexpr uint16_t rm_delete = ks_rm | ks_delete;

// SET only overwrites, unless asked to return the old value (GET).
uint16_t set_key_flags(std::span<const std::string_view> argv) {
  for (size_t i = 3; i < argv.size(); ++i) {
    if (protocol::iequals(argv[i], "GET")) return rw_access_update;
  }
  return ow_update;
}

// BITFIELD only reads unless a SET or INCRBY operation writes.
uint16_t bitfield_key_flags(std::span<const std::string_view> argv) {
  for (size_t i = 2; i < argv.size();) {
    if (protocol::iequals(argv[i], "SET") || protocol::iequals(argv[i], "INCRBY")) {
      return rw_access_update;
    }
    i += protocol::iequals(argv[i], "GET") ? 3 : protocol::iequals(argv[i], "OVERFLOW") ? 2 : 1;
  }
  return ro_access;
}

struct KeySpecEntry {
  std::string_view name;
  RedisKeySpecs specs;
};

// Commands that read some keys and write others give the first key's flags, then the rest's.
constexpr RedisKeySpecs store_from_sources{ow_update, ro_access};
constexpr RedisKeySpecs move_between{rw_access_delete, rw_insert};
constexpr RedisKeySpecs read_then_store{ro_access, ow_update};
constexpr RedisKeySpecs variable{rw_access_update | ks_variable_flags};

constexpr KeySpecEntry entries[] = {
    {"exists", {ro}}, {"hexists", {ro}}, {"hlen", {ro}}, {"hstrlen", {ro}}, {"llen", {ro}},
    {"memory|usage", {ro}}, {"object|encoding", {ro}}, {"object|freq", {ro}},
    {"object|idletime", {ro}}, {"object|refcount", {ro}}, {"scard", {ro}}, {"sismember", {ro}},
    {"strlen", {ro}}, {"touch", {ro}}, {"type", {ro}}, {"watch", {ro}}, {"xlen", {ro}},
    {"zcard", {ro}}, {"xreadgroup", {ro_access}}, {"pfcount", {rw_access}},
    {"decr", {rw_access_update}}, {"decrby", {rw_access_update}}, {"eval", {rw_access_update}},
    {"evalsha", {rw_access_update}}, {"fcall", {rw_access_update}},
    {"getex", {rw_access_update}}, {"getset", {rw_access_update}},
    {"hincrby", {rw_access_update}}, {"hincrbyfloat", {rw_access_update}},
    {"incr", {rw_access_update}}, {"incrby", {rw_access_update}},
    {"incrbyfloat", {rw_access_update}}, {"move", {rw_access_update}},
    {"setbit", {rw_access_update}}, {"zincrby", {rw_access_update}},
    {"blmpop", {rw_access_delete}}, {"blpop", {rw_access_delete}}, {"brpop", {rw_access_delete}},
    {"bzmpop", {rw_access_delete}}, {"bzpopmax", {rw_access_delete}},
    {"bzpopmin", {rw_access_delete}}, {"getdel", {rw_access_delete}},
    {"lmpop", {rw_access_delete}}, {"lpop", {rw_access_delete}}, {"rpop", {rw_access_delete}},
    {"spop", {rw_access_delete}}, {"zmpop", {rw_access_delete}},
    {"zpopmax", {rw_access_delete}}, {"zpopmin", {rw_access_delete}},
    {"hdel", {rw_delete}}, {"lrem", {rw_delete}}, {"ltrim", {rw_delete}}, {"srem", {rw_delete}},
    {"xautoclaim", {rw_delete}}, {"xdel", {rw_delete}}, {"xgroup|delconsumer", {rw_delete}},
    {"xgroup|destroy", {rw_delete}}, {"xtrim", {rw_delete}}, {"zrem", {rw_delete}},
    {"zremrangebylex", {rw_delete}}, {"zremrangebyrank", {rw_delete}},
    {"zremrangebyscore", {rw_delete}},
    {"append", {rw_insert}}, {"hsetnx", {rw_insert}}, {"linsert", {rw_insert}},
    {"lpush", {rw_insert}}, {"lpushx", {rw_insert}}, {"pfadd", {rw_insert}},
    {"rpush", {rw_insert}}, {"rpushx", {rw_insert}}, {"sadd", {rw_insert}},
    {"xgroup|create", {rw_insert}}, {"xgroup|createconsumer", {rw_insert}},
    {"mset", {ow_update}}, {"psetex", {ow_update}}, {"restore", {ow_update}},
    {"setex", {ow_update}}, {"msetnx", {ow_insert}}, {"setnx", {ow_insert}},
    {"del", {rm_delete}}, {"unlink", {rm_delete}},
    {"bitop", store_from_sources}, {"geosearchstore", store_from_sources},
    {"sdiffstore", store_from_sources}, {"sunionstore", store_from_sources},
    {"zdiffstore", store_from_sources}, {"zinterstore", store_from_sources},
    {"zrangestore", store_from_sources}, {"zunionstore", store_from_sources},
    {"sinterstore", {rw_update, ro_access}}, {"pfmerge", {rw_access_insert, ro_access}},
    {"blmove", move_between}, {"brpoplpush", move_between}, {"lmove", move_between},
    {"rpoplpush", move_between}, {"smove", move_between},
    {"rename", {rw_access_delete, ow_update}}, {"renamenx", {rw_access_delete, ow_insert}},
    {"copy", read_then_store}, {"georadius", read_then_store},
    {"georadiusbymember", read_then_store}, {"sort", read_then_store},
    {"set", {variable.first, 0, set_key_flags}},
    {"bitfield", {variable.first, 0, bitfield_key_flags}},
};

}  // namespace

RedisKeySpecs redis_key_specs(std::string_view name) {
  for (const KeySpecEntry& entry : entries) {
    if (entry.name == name) return entry.specs;
  }
  return {};
}

}  // namespace ringcache::commands
