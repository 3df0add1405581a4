#pragma once
// What the node knows about one client connection (CLIENT LIST/INFO, HELLO, AUTH, limits).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/runtime.h"
#include "core/server/acl/user.h"

namespace ringcache::server {

struct Client {
  uint64_t id = 0;
  std::string name;           // CLIENT SETNAME
  std::string address;        // peer "ip:port"
  std::string local_address;  // "ip:port"
  int resp_version = 2;       // HELLO
  bool authenticated = false; // AUTH / requirepass
  // The ACL user the client acts as (connections start as the default user). Null for the
  // node's own clients (AOF loader, replication link), which every command is allowed to.
  std::shared_ptr<const acl::User> user;
  int db = 0;                 // SELECT: only 0 exists
  int64_t created_ms = 0;     // wall clock, for CLIENT LIST age
  Instant last_interaction{}; // monotonic, for idle and `timeout`
  std::string last_command;   // lower-case name, for CLIENT LIST cmd=
  size_t query_buffer_bytes = 0;       // received, not yet run
  size_t query_buffer_free_bytes = 0;  // allocated past them (CLIENT LIST qbuf-free)
  size_t output_buffer_bytes = 0;
  // The current command's time parked in a blocking wait (BLPOP...), left out of its duration as
  // Redis leaves it out, and whether the wait ended by timeout (Redis then records no duration:
  // no slow log entry, no latency sample).
  Nanos blocked_wait{0};
  bool wait_timed_out = false;
  // client-output-buffer-limit: since when the pending output has stayed above the class's soft
  // limit (empty: it is not above it).
  std::optional<Instant> output_soft_limit_since;
  // Set by QUIT, CLIENT KILL and protocol errors: reply, flush, then close.
  bool close_after_reply = false;
  // CLIENT REPLY: OFF silences every reply until ON; SKIP silences the next command's. The
  // connection drops a silenced command's reply; pub/sub confirmations and pushes still go out.
  bool replies_off = false;
  bool skip_next_reply = false;
  bool skip_this_reply = false;  // set by the connection while it runs the skipped command
  bool replies_silenced() const { return replies_off || skip_this_reply; }
  bool monitor = false;  // MONITOR (server/monitors.h)
  bool no_evict = false;  // CLIENT NO-EVICT ON: maxmemory-clients never closes it
  // The AOF loader's own client: it runs while the node is loading (no -LOADING for it).
  bool aof_loader = false;
  // Closes the connection now (CLIENT KILL from another client). Set by the connection.
  std::function<void()> kill;
  // --- replication (core/replication, core/node/replica_*) ---
  // The replica's link to its primary: runs the primary's stream; never READONLY-refused,
  // paused or refused for memory.
  bool replication_master = false;
  // The stream offset after this client's last write (WAIT waits for replicas to reach it).
  uint64_t repl_write_offset = 0;
  // REPLCONF listening-port from a replica, for INFO's slaveN lines (0: not sent).
  uint16_t replica_listening_port = 0;
  // PSYNC/SYNC: the connection hands itself to the replication feeder once the reply is out.
  // `psync_offset` is the first byte the replica lacks (-1: none, a full sync).
  bool psync_requested = false;
  std::string psync_replid;
  int64_t psync_offset = -1;

  // True while EXEC runs this client's queued commands (each through the normal dispatch).
  // Blocking commands check it and answer at once as if their timeout had passed, as Redis does
  // inside MULTI; the AOF can check it to wrap the transaction's writes in MULTI/EXEC. Dispatch
  // serves clients blocked on keys only once the whole EXEC is over (blocking.h).
  bool in_exec = false;
  // Set by the connection: called when this client's command is about to block, so the
  // connection keeps watching its socket (a disconnect must end the wait). May be empty.
  std::function<void()> on_block;

  // --- MULTI/EXEC (commands/transactions.cpp) ---
  bool in_multi = false;        // commands are queued until EXEC
  bool multi_failed = false;    // a command was refused while queueing: EXEC aborts
  bool watch_dirty = false;     // a WATCHed key changed: EXEC answers nil
  std::vector<std::vector<std::string>> queued;  // argv of each queued command
  size_t queued_bytes = 0;
  // Cluster mode: the slot of the first queued command with keys (-1: none yet), and whether a
  // later one named another slot (EXEC then answers -CROSSSLOT, as Redis).
  int32_t multi_slot = -1;
  bool multi_crossslot = false;
  // WATCHed keys. A key that expires after WATCH makes EXEC fail even if no one deleted it yet
  // (Redis 7.0): EXEC looks each up, and the lazy expiry touches it.
  std::vector<std::string> watched;

  // --- cluster mode (commands/cluster_routing.h) ---
  bool asking = false;    // ASKING: the next command may run on a slot being imported
  bool readonly = false;  // READONLY: reads may be served by replicas (none yet)
  // A migrating source's connection (CLUSTER IMPORT): the batch received so far.
  std::string cluster_import_staging;

  // --- pub/sub (node/pubsub.h) ---
  std::set<std::string> channels;        // SUBSCRIBE
  std::set<std::string> patterns;        // PSUBSCRIBE
  std::set<std::string> shard_channels;  // SSUBSCRIBE
  // RESP2 clients with subscriptions may run only the subscription commands, PING, QUIT, RESET.
  bool subscribed() const {
    return !channels.empty() || !patterns.empty() || !shard_channels.empty();
  }

  // --- pushes (node/push_delivery.h) ---
  // Messages for this client (pub/sub, invalidations) encoded in its protocol, waiting for its
  // connection to send them. Other clients' commands append here and never wait for it.
  std::string pushes;
  // Set by the connection: wakes whatever sends `pushes`. Unset in tests without a connection.
  std::function<void()> pushes_ready;

  // --- CLIENT TRACKING (node/tracking.h) ---
  struct Tracking {
    bool on = false;
    bool bcast = false;
    bool optin = false;
    bool optout = false;
    bool noloop = false;
    // CLIENT CACHING yes/no for the next command (OPTIN/OPTOUT); reset after each command.
    bool caching_yes = false;
    bool caching_no = false;
    uint64_t redirect = 0;               // 0: invalidations go to this client itself
    std::vector<std::string> prefixes;   // BCAST prefixes ("" when none was given)
  } tracking;
};

}  // namespace ringcache::server
