#pragma once
// Simulated RESP clients: each on its own client host, connected to one node, issuing
// SET/GET/DEL/INCR/EXPIRE/PEXPIRE over a small key space at a given rate and recording every
// operation in the History. Register keys ("k<n>") take SET/GET/DEL/EXPIRE/PEXPIRE with values
// unique per write, so a read names the write it saw; counter keys ("c<n>") take INCR only.
//
// With a key trace (key_source.h) the keys come from the trace instead, in its order, shared by
// all clients and started over at its end: request i names object n, so the operation the mix
// draws goes to "k<n>" ("c<n>" for INCR), a SET writes the trace's size (clamped to value_bytes)
// and a delete in the trace is a DEL. fill_on_miss makes a client follow a GET that found nothing
// with a SET of that key, as an application in front of a database fills its cache.
//
// In cluster mode (`cluster`) a client routes each key as a Redis Cluster client does: to the
// node it believes owns the key's slot (learned from CLUSTER SLOTS, refreshed when a redirect
// shows it stale), following -MOVED (update, retry there) and -ASK (ASKING then the command on
// the named node, once), backing off on -CLUSTERDOWN/-TRYAGAIN and on refused connections, at
// most `redirects_max` times; the operation records the node whose answer the client kept.
// An attempt whose outcome is unknown (timeout, connection lost) ends the operation: it may
// have taken effect, so retrying it elsewhere would record one operation that ran twice.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/runtime.h"
#include "lab/trace.h"
#include "core/util/rng.h"
#include "runtime/sim/workload/cluster_routing.h"
#include "runtime/sim/workload/history.h"

namespace ringcache::sim {

class Simulation;
class SimRuntime;

struct OpMix {
  int set = 40, get = 40, del = 5, incr = 5, expire = 5, pexpire = 5, script_incr = 0;
  int total() const { return set + get + del + incr + expire + pexpire + script_incr; }
};

struct WorkloadOptions {
  int clients = 4;
  double rate_per_s = 1000;  // all clients together
  int keys = 8;              // register keys; as many counter keys
  bool skewed_keys = false;  // low-numbered keys much hotter than the rest
  int value_bytes_min = 8;
  int value_bytes_max = 64;
  OpMix mix;
  int64_t ttl_ms_min = 50;
  int64_t ttl_ms_max = 2000;
  int set_ttl_percent = 20;  // SETs that carry PX
  uint64_t max_ops = 0;      // 0: no limit
  std::shared_ptr<const lab::Trace> key_trace;  // null: keys from the register space
  bool key_trace_sizes = false;  // the trace's sizes are value sizes (else value_bytes draws)
  bool fill_on_miss = false;
  // SETs acknowledged that the client follows with `WAIT 1 wait_timeout_ms` on the same
  // connection (Op::wait_acked records the answer).
  int wait_percent = 0;
  int64_t wait_timeout_ms = 100;
  int64_t request_timeout_ns = 1'000'000'000;
  int64_t reconnect_backoff_ns = 100'000'000;
  bool cluster = false;        // route by slot over every node (see above)
  int redirects_max = 5;       // attempts after the first: redirects and retries
  int64_t cluster_retry_backoff_ns = 100'000'000;   // after -CLUSTERDOWN/-TRYAGAIN/refused
  int64_t map_refresh_interval_ns = 500'000'000;    // CLUSTER SLOTS at most this often
};

struct Target {
  std::string ip;
  uint16_t port;
  int node;
};

class Workload {
 public:
  // Operations are recorded into `history`, which the checkers read (node events go there too).
  Workload(Simulation& sim, WorkloadOptions options, std::vector<Target> targets, History& history,
           uint64_t seed);
  ~Workload();

  // Adds a client host per client and starts its fiber.
  void start();
  // Clients issue nothing new and end after their current operation.
  void stop() { stopping_ = true; }
  bool finished() const { return running_clients_ == 0; }
  // The safety phase's operation budget is used up (the liveness phase has no budget).
  bool budget_spent() const { return options_.max_ops > 0 && issued_ >= options_.max_ops; }
  // Operations sent and not yet answered or given up on.
  int in_flight() const { return in_flight_; }
  // From now on operations are marked liveness_phase.
  void begin_liveness_phase() { liveness_phase_ = true; }
  // Every client completed an operation successfully that it invoked in the liveness phase.
  bool every_client_progressed() const;

  History& history() { return history_; }
  const WorkloadOptions& options() const { return options_; }

 private:
  struct Client;
  struct Conn;
  void run_client(Client& client);
  // Whether the client has nothing to do now: budget spent, or its liveness proof is in.
  bool idle(const Client& client) const;
  // The connection to `node`, opened if needed; nullptr when it cannot be opened.
  Conn* connect(Client& client, int node);
  bool ensure_connected(Client& client);
  Op next_op(Client& client);
  // The key and op kind of the next operation from the register space or the key trace.
  void choose_key(Client& client, Op& op, uint32_t& value_size);
  // The operation as a RESP request.
  std::string request_for(const Op& op) const;
  // Sends `request` to `node` and reads `replies` replies, returning the last; nullopt when the
  // connection failed or timed out (it is then closed).
  std::optional<RespValue> call(Client& client, int node, const std::string& request,
                                int replies = 1);
  // Cluster mode: the operation routed by slot, following redirects (op.node, op.redirects set).
  std::optional<RespValue> cluster_call(Client& client, Op& op);
  // Cluster mode: asks some node for CLUSTER SLOTS when the client's belief is stale.
  void refresh_slot_map(Client& client);
  // Schedules the client's timeout watchdog at `at_ns`.
  void arm_watchdog(Client& client, int64_t at_ns);
  void complete(size_t index, std::optional<RespValue> reply);
  // After an acknowledged SET, maybe (wait_percent) `WAIT 1 t` on the node that answered it.
  void maybe_wait(Client& client, size_t index);

  Simulation& sim_;
  WorkloadOptions options_;
  std::vector<Target> targets_;
  Rng rng_;
  std::vector<std::unique_ptr<Client>> clients_;
  History& history_;
  uint64_t issued_ = 0;
  size_t trace_cursor_ = 0;  // next request of the key trace
  int in_flight_ = 0;
  int running_clients_ = 0;
  bool stopping_ = false;
  bool liveness_phase_ = false;
};

}  // namespace ringcache::sim
