#pragma once
// The command table the server owns: every command's name, arity, flags, key positions, handler
// and call statistics. Redis' own metadata is mirrored so COMMAND INFO/GETKEYS answer as Redis
// 7.0 does and cluster clients can find keys. The families that fill it live in core/commands/
// (command.h); the table sits here so the server can own it without knowing any command.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/metrics/histogram.h"
#include "core/protocol/ascii.h"
#include "core/protocol/reply_writer.h"

namespace ringcache::server {

class Server;
struct Client;

// Command flags as Redis 7.0 names them in COMMAND INFO.
enum CommandFlag : uint32_t {
  flag_write = 1u << 0,         // "write"
  flag_readonly = 1u << 1,      // "readonly"
  flag_denyoom = 1u << 2,       // "denyoom": refused with OOM when over maxmemory
  flag_admin = 1u << 3,         // "admin"
  flag_pubsub = 1u << 4,        // "pubsub"
  flag_noscript = 1u << 5,      // "noscript"
  flag_blocking = 1u << 6,      // "blocking"
  flag_loading = 1u << 7,       // "loading": allowed while loading
  flag_stale = 1u << 8,         // "stale"
  flag_skip_monitor = 1u << 9,  // "skip_monitor"
  flag_skip_slowlog = 1u << 10, // "skip_slowlog"
  flag_fast = 1u << 11,         // "fast"
  flag_no_auth = 1u << 12,      // "no_auth": allowed before AUTH
  flag_may_replicate = 1u << 13,// "may_replicate"
  flag_no_multi = 1u << 14,     // "no_multi"
  flag_allow_busy = 1u << 15,   // "allow_busy"
  flag_movablekeys = 1u << 16,  // "movablekeys": keys found by a function, not first/last/step
  flag_no_mandatory_keys = 1u << 17,  // "no_mandatory_keys": may name no key at all (EVAL)

  // Internal flags: how dispatch treats the command. COMMAND INFO does not show them (nor does
  // Redis, which decides these by the command's name or handler).
  flag_misconf_refused = 1u << 24,     // refused with MISCONF while the AOF fails, though no write
  flag_runs_transaction = 1u << 25,    // EXEC: runs the queued commands, propagated as one unit
  flag_subscribed_allowed = 1u << 26,  // allowed in RESP2 subscribed mode
  flag_transaction_control = 1u << 27, // runs at once inside MULTI rather than being queued
  // EVAL, FCALL: runs commands through execute(); what they propagate reaches the AOF and the
  // replicas as one MULTI ... EXEC unit, and the script itself is never propagated.
  flag_runs_script = 1u << 28,
};

// The flag names in Redis' order, for COMMAND INFO.
std::vector<std::string_view> flag_names(uint32_t flags);

struct CommandContext {
  Server& server;
  Client& client;
  // argv[0] is the command name as the client sent it. Views stay valid during the call only.
  std::span<const std::string_view> argv;
  protocol::ReplyWriter& reply;
};

using Handler = void (*)(CommandContext&);
// For movablekeys commands: the key argument indexes in argv.
using KeyFinder = std::vector<int> (*)(std::span<const std::string_view> argv);

// Redis' legacy key specification: keys at argv[first], argv[first+step], ... argv[last]
// (last < 0 counts from the end: -1 is the last argument). first == 0: no keys.
struct KeyRange {
  int first = 0;
  int last = 0;
  int step = 0;
};

// How a command names pub/sub channels, which ACL channel patterns must allow.
enum class ChannelArgs : uint8_t {
  none,
  published,          // argv[1] is a channel published to (PUBLISH, SPUBLISH)
  subscribed,         // argv[1..] are channels subscribed to (SUBSCRIBE, SSUBSCRIBE)
  subscribed_patterns // argv[1..] are patterns, matched literally (PSUBSCRIBE)
};

// The access a %R~ / %W~ key pattern grants (ACL): read, write, or both.
enum KeyAccess : uint8_t {
  key_reads = 1u << 0,
  key_writes = 1u << 1,
};

// Redis 7.0's key-spec flags, what a command does with a key (COMMAND GETKEYSANDFLAGS, COMMAND
// INFO, and ACL: "access" needs a read pattern, "insert", "delete" and "update" a write one).
// One of RO/RW/OW/RM says how the value is used; the rest say which operations touch it.
enum KeySpecFlag : uint16_t {
  ks_ro = 1u << 0,               // "RO": read only
  ks_rw = 1u << 1,               // "RW": read and modified
  ks_ow = 1u << 2,               // "OW": overwritten without being read
  ks_rm = 1u << 3,               // "RM": removed without being read
  ks_access = 1u << 4,           // "access": the value is returned or acted on
  ks_update = 1u << 5,           // "update": the value is replaced or changed
  ks_insert = 1u << 6,           // "insert": data is added
  ks_delete = 1u << 7,           // "delete": data is removed
  ks_not_key = 1u << 8,          // "not_key": a shard channel placed by slot, not a key
  ks_incomplete = 1u << 9,       // "incomplete": the spec may miss keys
  ks_variable_flags = 1u << 10,  // "variable_flags": the arguments decide (SET ... GET)
};

// The flag names in Redis' order.
std::vector<std::string_view> key_spec_flag_names(uint16_t flags);

// Per-command counters (INFO commandstats). They live in the node's own table.
struct CommandStats {
  uint64_t calls = 0;
  uint64_t rejected_calls = 0;  // refused before running (arity, NOAUTH, OOM)
  uint64_t failed_calls = 0;    // ran and replied with an error
  metrics::DurationHistogram duration;  // of the calls that ran (INFO usec, /metrics)
};

struct CommandSpec {
  std::string name;               // lower case; "config|get" for subcommands
  int arity = 0;                  // > 0: exactly; < 0: at least -arity (argv[0] included)
  uint32_t flags = 0;
  KeyRange keys;
  Handler handler = nullptr;      // nullptr for a container (CONFIG, CLIENT) of subcommands
  std::string acl_categories;     // "@write @string @slow", as COMMAND INFO lists them
  std::string group;              // "string", "generic", "server", "connection" (COMMAND DOCS)
  std::string summary;            // one line (COMMAND DOCS)
  std::string since;              // Redis version that introduced it
  KeyFinder key_finder = nullptr; // set with flag_movablekeys
  std::vector<CommandSpec> subcommands;
  ChannelArgs channels = ChannelArgs::none;
  // Redis' key-spec flags (KeySpecFlag) of the first key and of the others (0: as the first).
  // 0 for both: "RW update" for write commands, "RO access" for the others. A finder, when set,
  // decides from the arguments instead (SET ... GET reads the old value too).
  uint16_t key_flags = 0;
  uint16_t other_key_flags = 0;
  uint16_t (*key_flags_finder)(std::span<const std::string_view> argv) = nullptr;
  // Scripts (EVAL, FCALL): whether the script may write, when it declares its flags (a shebang,
  // a function's flags); nullopt without a declaration, when the command's own flags stand.
  std::optional<bool> (*script_may_write)(Server& server,
                                          std::span<const std::string_view> argv) = nullptr;
  // Set by CommandTable::add: the command's index among all commands and subcommands (ACL
  // permission bitmaps) and its ACL categories as bits (acl::Category).
  uint32_t id = 0;
  uint32_t category_bits = 0;
  mutable CommandStats stats;     // counted by execute(); each node builds its own table
};

class CommandTable {
 public:
  // Registers a command (and its subcommands). Names must be unique.
  void add(CommandSpec spec);
  // Case-insensitive lookup by name; nullptr if unknown.
  const CommandSpec* find(std::string_view name) const;
  // Subcommand lookup ("config", "get"); nullptr if unknown.
  const CommandSpec* find_subcommand(const CommandSpec& parent, std::string_view name) const;
  // All top-level commands, sorted by name (deterministic output for COMMAND).
  const std::vector<const CommandSpec*>& all() const { return sorted_; }
  size_t size() const { return sorted_.size(); }
  // Ids run from 0 to id_count() - 1 over commands and subcommands alike.
  uint32_t id_count() const { return next_id_; }

  // The key argument indexes of a call (COMMAND GETKEYS, cluster routing).
  static std::vector<int> key_positions(const CommandSpec& spec,
                                        std::span<const std::string_view> argv);
  // Whether the command names keys at all: shard channels (not_key) are not keys.
  static bool has_keys(const CommandSpec& spec);
  // The key-spec flags of the call's key number `index` (0: the first key it names).
  static uint16_t key_flags_of(const CommandSpec& spec, std::span<const std::string_view> argv,
                               size_t index);
  // The flags COMMAND INFO shows for the first key, whatever the arguments.
  static uint16_t declared_key_flags(const CommandSpec& spec);

 private:
  std::vector<std::unique_ptr<CommandSpec>> specs_;
  std::vector<const CommandSpec*> sorted_;
  uint32_t next_id_ = 0;
  // Looked up for every command, so hashed rather than ordered (sorted_ keeps the order).
  std::unordered_map<std::string, const CommandSpec*, protocol::CaseInsensitiveHash,
                     protocol::CaseInsensitiveEqual>
      by_name_;
};

}  // namespace ringcache::server
