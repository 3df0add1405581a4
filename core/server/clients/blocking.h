#pragma once
// Clients blocked on keys (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP),
// as Redis' blocked.c keeps them.
//
// A blocking command that finds nothing to take parks its own fiber in block(), handing over a
// serve function. A write that may make a key ready calls Server::key_modified (every write
// does), which marks the key ready when a client waits on it. Right after the writing command
// (dispatch calls serve_ready_keys() after every top-level command, before the next command of
// any client runs) the ready keys are taken in the order they became ready, and for each key
// its waiters in the order they blocked: each waiter's serve function runs on the writer's
// fiber, takes what it waits for from the keyspace and writes its reply into the blocked
// client's reply buffer, then the blocked fiber wakes and returns. So an element never goes to
// a later client while an earlier one waits, and a disconnected client is never served: it
// left the queues (unblock) when its connection closed.
//
// MULTI/EXEC: a client with Client::in_exec set (EXEC running its queue) does not block:
// blocking commands answer at once as on timeout (commands::may_block). Dispatch does not serve
// ready keys after each queued command, only after EXEC itself, once the transaction is over.

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/server/clients/client.h"
#include "core/runtime.h"

namespace ringcache::server {

// How a waiter's serve function answers for one ready key.
enum class ServeResult {
  served,     // took what it waited for (or replied an error) and wrote its reply: wait over
  skipped,    // the key holds something this waiter does not take (another type): next waiter
  exhausted,  // the key has nothing left: later waiters on this key keep waiting too
};
using ServeFunction = std::function<ServeResult(std::string_view key)>;

// Why block() returned.
enum class WaitEnd {
  served,            // the serve function wrote the reply
  timed_out,         // deadline passed (or CLIENT UNBLOCK .. TIMEOUT): reply as on timeout
  unblocked_error,   // CLIENT UNBLOCK .. ERROR: reply -UNBLOCKED
  disconnected,      // the client's connection closed: reply nothing
};

class BlockedClients {
 public:
  explicit BlockedClients(Runtime& runtime) : runtime_(runtime) {}
  BlockedClients(const BlockedClients&) = delete;
  BlockedClients& operator=(const BlockedClients&) = delete;

  // Suspending. Parks the calling fiber (running `client`'s command) until `serve` returns
  // served for one of `keys`, `deadline` passes (none: forever), or unblock() ends the wait.
  // Calls client.on_block first, so the connection keeps watching its socket.
  WaitEnd block(Client& client, std::span<const std::string_view> keys,
                std::optional<Instant> deadline, ServeFunction serve);
  // Suspending. Parks `client`'s command while the node is paused (CLIENT PAUSE, DEBUG SLEEP;
  // node/client_pause.h) until `until`, wake_postponed(), or its disconnect. Counted in
  // blocked_count() as Redis counts postponed clients; CLIENT UNBLOCK does not end it.
  WaitEnd postpone(Client& client, Instant until);
  // Ends every postponed wait (the pause was lifted).
  void wake_postponed();
  // Suspending. Parks `client`'s command on no key until wake(client.id) (returns served),
  // `deadline` (timed_out), CLIENT UNBLOCK or a disconnect (WAIT waits for acknowledgements).
  WaitEnd wait_for_wake(Client& client, std::optional<Instant> deadline);
  // Ends the wait_for_wake of `client_id`, if it waits so. Never suspends.
  void wake(uint64_t client_id);

  // Marks `key` ready if a client waits on it (Server::key_modified calls this).
  void signal_key(std::string_view key) {
    if (!waiters_by_key_.empty()) signal_waited_key(key);
  }
  bool has_ready_keys() const { return !ready_keys_.empty(); }
  // Serves the waiters of every ready key (dispatch calls this after each top-level command).
  void serve_ready_keys() {
    if (!ready_keys_.empty()) serve_all_ready();
  }
  // Ends `client_id`'s wait with `why` (not served): CLIENT UNBLOCK, disconnects, CLIENT KILL.
  // Returns whether the client was blocked (a postponed client ends only on a disconnect).
  bool unblock(uint64_t client_id, WaitEnd why);

  bool is_blocked(uint64_t client_id) const { return waiters_.count(client_id) != 0; }
  // INFO blocked_clients.
  size_t blocked_count() const { return waiters_.size(); }
  // Keys with at least one waiter (INFO clients: total_blocking_keys).
  size_t blocking_keys() const { return waiters_by_key_.size(); }

  // Propagation: a served waiter's work is a unit of its own, after the writing command's. Each
  // serve function starts it with Propagation::begin_command() and records what it did (LPOP,
  // LMOVE, ...); `listener` runs right after each served waiter, so the AOF/replication can
  // take that unit then (the writing command's own unit must be taken before dispatch calls
  // serve_ready_keys()).
  void set_served_listener(std::function<void()> listener) { on_served_ = std::move(listener); }

 private:
  struct Waiter {
    uint64_t client_id = 0;
    std::vector<std::string> keys;
    bool postponed = false;  // held by a pause (no keys), not blocked on keys
    ServeFunction serve;
    std::optional<WaitEnd> end;
    std::unique_ptr<WaitQueue> wake;
  };
  WaitEnd wait(Client& client, Waiter& waiter, std::optional<Instant> deadline);
  void signal_waited_key(std::string_view key);
  void serve_all_ready();
  void serve_key(const std::string& key);
  // Takes `waiter` out of every queue, records why, and wakes its fiber.
  void finish(Waiter& waiter, WaitEnd why);
  // Takes `waiter` out of every queue.
  void remove(Waiter& waiter);

  Runtime& runtime_;
  // By client id (ordered: no iteration order leaks from a hash container).
  std::map<uint64_t, Waiter*> waiters_;
  // Each key's waiters in the order they blocked. Only looked up, never iterated.
  std::unordered_map<std::string, std::list<Waiter*>> waiters_by_key_;
  // Keys made ready since the last serve, in the order they became ready.
  std::vector<std::string> ready_keys_;
  std::unordered_set<std::string> ready_set_;
  std::function<void()> on_served_;
};

}  // namespace ringcache::server
