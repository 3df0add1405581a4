#include "runtime/sim/workload/workload.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <chrono>
#include <initializer_list>
#include <span>

#include "runtime/sim/simulation.h"
#include "runtime/sim/workload/workload_client.h"

namespace ringcache::sim {
namespace {

// Folds a reply into the run digest as it is, without formatting it for people.
void fold_reply(RunDigest& digest, const RespValue& reply) {
  digest.fold(static_cast<uint64_t>(reply.type));
  digest.fold(static_cast<uint64_t>(reply.integer));
  digest.fold_bytes(reply.text);
  digest.fold(reply.items.size());
  for (const RespValue& item : reply.items) fold_reply(digest, item);
}

}  // namespace

Workload::Workload(Simulation& sim, WorkloadOptions options, std::vector<Target> targets,
                   History& history, uint64_t seed)
    : sim_(sim), options_(options), targets_(std::move(targets)), rng_(seed), history_(history) {
  RING_ASSERT(!targets_.empty() && options_.clients > 0 && options_.keys > 0);
  RING_ASSERT(options_.key_trace == nullptr || !options_.key_trace->requests.empty());
  RING_ASSERT(options_.mix.total() > 0 && options_.rate_per_s > 0);
}

Workload::~Workload() {
  for (const auto& client : clients_) {
    if (client->watchdog) sim_.world().cancel(*client->watchdog);
  }
}

void Workload::start() {
  for (int i = 0; i < options_.clients; ++i) {
    auto client = std::make_unique<Client>();
    client->index = i;
    client->target = targets_[i % targets_.size()];
    client->conns.resize(targets_.size());
    if (options_.cluster) {
      std::vector<std::string> addresses;
      for (const Target& target : targets_) {
        addresses.push_back(target.ip + ":" + std::to_string(target.port));
      }
      client->slots.emplace(std::move(addresses));
    }
    client->rng.reseed(rng_.fork_seed());
    Host& host = sim_.add_host(fmt::format("c{}", i), fmt::format("10.0.1.{}", i + 1));
    client->runtime = &sim_.boot(host);
    Client& ref = *client;
    clients_.push_back(std::move(client));
    ++running_clients_;
    ref.runtime->spawn("client", [this, &ref] {
      struct Ended {  // also when a crash unwinds the client
        int& running;
        Client& client;
        ~Ended() {
          client.close_all();
          --running;
        }
      } ended{running_clients_, ref};
      run_client(ref);
    });
  }
}

bool Workload::every_client_progressed() const {
  for (const auto& client : clients_) {
    if (!client->progressed) return false;
  }
  return true;
}

void Workload::run_client(Client& client) {
  // Mean gap between one client's operations, for the total rate asked. Starts are paced
  // against a schedule rather than after each reply, so the rate holds whatever the latency;
  // a client that fell behind (a long outage) starts afresh instead of bursting.
  const int64_t mean_gap_ns = static_cast<int64_t>(options_.clients * 1e9 / options_.rate_per_s);
  Instant next_start = client.runtime->now();
  while (!stopping_) {
    next_start += Nanos(client.rng.between(0, 2 * mean_gap_ns));
    const Instant now = client.runtime->now();
    if (next_start < now - Nanos(mean_gap_ns)) next_start = now;
    client.runtime->sleep_until(next_start);
    if (stopping_) break;
    if (idle(client)) continue;
    if (options_.cluster) {
      refresh_slot_map(client);
    } else if (!ensure_connected(client)) {
      continue;
    }
    const size_t index = history_.ops.size();
    history_.ops.push_back(next_op(client));
    ++issued_;
    ++in_flight_;
    auto reply = options_.cluster
                     ? cluster_call(client, history_.ops[index])
                     : call(client, client.target.node, request_for(history_.ops[index]));
    --in_flight_;
    complete(index, std::move(reply));
    if (options_.wait_percent > 0) maybe_wait(client, index);
  }
}

void Workload::maybe_wait(Client& client, size_t index) {
  if (static_cast<int>(client.rng.below(100)) >= options_.wait_percent) return;
  const Op& op = history_.ops[index];
  if (op.kind != OpKind::set || !op.succeeded()) return;
  const int node = op.node;
  if (!client.conns.at(static_cast<size_t>(node)).stream) return;
  const std::string timeout = std::to_string(options_.wait_timeout_ms);
  const std::array<std::string_view, 3> argv{"WAIT", "1", timeout};
  auto reply = call(client, node, encode_command(std::span<const std::string_view>(argv)));
  // Fetched again: the history may have grown meanwhile (other clients' operations).
  Op& done = history_.ops[index];
  if (reply && reply->type == RespValue::Type::integer) {
    done.wait_acked = reply->integer;
    done.wait_complete_ns = sim_.world().now_ns();
  }
  sim_.world().digest().event("client.wait", sim_.world().now_ns(), done.id,
                              static_cast<uint64_t>(done.wait_acked + 1));
}

bool Workload::idle(const Client& client) const {
  if (liveness_phase_) return client.progressed;
  return budget_spent();
}

Workload::Conn* Workload::connect(Client& client, int node) {
  Conn& conn = client.conns.at(static_cast<size_t>(node));
  if (conn.stream) return &conn;
  const Target& target = targets_[static_cast<size_t>(node)];
  auto stream = client.runtime->connect(target.ip, target.port);
  if (!stream) return nullptr;
  conn.stream = std::move(stream.value());
  conn.parser = RespParser();
  return &conn;
}

bool Workload::ensure_connected(Client& client) {
  if (connect(client, client.target.node)) return true;
  client.runtime->sleep_for(Nanos(options_.reconnect_backoff_ns));
  return false;
}

Op Workload::next_op(Client& client) {
  Rng& rng = client.rng;
  Op op;
  op.id = history_.ops.size();
  op.client = client.index;
  op.node = client.target.node;
  op.invoke_ns = sim_.world().now_ns();
  op.liveness_phase = liveness_phase_;
  uint32_t trace_size = 0;  // 0: draw the value size
  if (client.fill_key) {
    op.kind = OpKind::set;
    op.key = std::move(*client.fill_key);
    trace_size = client.fill_size;
    client.fill_key.reset();
  } else {
    choose_key(client, op, trace_size);
  }
  client.op_size = trace_size;
  const int64_t ttl = rng.between(options_.ttl_ms_min, options_.ttl_ms_max);
  if (op.kind == OpKind::set) {
    op.value = "v" + std::to_string(client.index) + "." + std::to_string(++client.writes) + ".";
    const auto size = static_cast<size_t>(
        trace_size != 0
            ? std::clamp<int64_t>(trace_size, options_.value_bytes_min, options_.value_bytes_max)
            : rng.between(options_.value_bytes_min, options_.value_bytes_max));
    if (op.value.size() < size) op.value.append(size - op.value.size(), 'x');
    if (static_cast<int>(rng.below(100)) < options_.set_ttl_percent) op.ttl_ms = ttl;
  } else if (op.kind == OpKind::expire) {
    op.ttl_ms = std::max<int64_t>(1, ttl / 1000) * 1000;  // whole seconds
  } else if (op.kind == OpKind::pexpire) {
    op.ttl_ms = ttl;
  }
  return op;
}

void Workload::choose_key(Client& client, Op& op, uint32_t& value_size) {
  Rng& rng = client.rng;
  uint64_t key;
  bool trace_delete = false;
  if (options_.key_trace) {
    const std::vector<lab::TraceRequest>& requests = options_.key_trace->requests;
    const lab::TraceRequest& request = requests[trace_cursor_];
    trace_cursor_ = (trace_cursor_ + 1) % requests.size();
    key = request.object;
    trace_delete = request.is_delete();
    if (options_.key_trace_sizes && !trace_delete) value_size = request.size;
  } else {
    key = rng.below(static_cast<uint64_t>(options_.keys));
    if (options_.skewed_keys) key = rng.below(key + 1);
  }
  int64_t pick = static_cast<int64_t>(rng.below(options_.mix.total()));
  const OpMix& mix = options_.mix;
  const std::pair<int, OpKind> weights[] = {
      {mix.set, OpKind::set},   {mix.get, OpKind::get},       {mix.del, OpKind::del},
      {mix.incr, OpKind::incr}, {mix.expire, OpKind::expire}, {mix.pexpire, OpKind::pexpire},
      {mix.script_incr, OpKind::script_incr}};
  for (const auto& [weight, kind] : weights) {
    if (pick < weight) {
      op.kind = kind;
      break;
    }
    pick -= weight;
  }
  if (trace_delete) op.kind = OpKind::del;
  // Counters of each kind have keys of their own: a script's counter moves only by two.
  const char* prefix = op.kind == OpKind::incr ? "c" : op.kind == OpKind::script_incr ? "s" : "k";
  op.key = prefix + std::to_string(key);
}

std::string Workload::request_for(const Op& op) const {
  // Encoded straight from views: one allocation per request (every operation passes here).
  char digits[24];
  const auto number = [&](int64_t value) {
    const char* end = std::to_chars(digits, digits + sizeof(digits), value).ptr;
    return std::string_view(digits, static_cast<size_t>(end - digits));
  };
  const auto encode = [](std::initializer_list<std::string_view> argv) {
    return encode_command(std::span<const std::string_view>(argv.begin(), argv.size()));
  };
  switch (op.kind) {
    case OpKind::set:
      if (op.ttl_ms > 0) return encode({"SET", op.key, op.value, "PX", number(op.ttl_ms)});
      return encode({"SET", op.key, op.value});
    case OpKind::get:
      return encode({"GET", op.key});
    case OpKind::del:
      return encode({"DEL", op.key});
    case OpKind::incr:
      return encode({"INCR", op.key});
    case OpKind::expire:
      return encode({"EXPIRE", op.key, number(op.ttl_ms / 1000)});
    case OpKind::pexpire:
      return encode({"PEXPIRE", op.key, number(op.ttl_ms)});
    case OpKind::script_incr:
      return encode({"EVAL", "redis.call('INCR', KEYS[1]) return redis.call('INCR', KEYS[1])",
                     "1", op.key});
  }
  RING_UNREACHABLE();
}

void Workload::arm_watchdog(Client& client, int64_t at_ns) {
  client.watchdog = sim_.world().at(at_ns, "client.timeout", [this, &client] {
    client.watchdog.reset();
    if (client.deadline_ns == never_ns) return;  // idle: the next call arms it again
    if (sim_.world().now_ns() < client.deadline_ns) return arm_watchdog(client, client.deadline_ns);
    if (client.active < 0) return;
    if (Stream* stream = client.conns[static_cast<size_t>(client.active)].stream.get()) {
      stream->close();
    }
  });
}

std::optional<RespValue> Workload::call(Client& client, int node, const std::string& request,
                                        int replies) {
  // A reply that does not come within the timeout ends the connection: outcome unknown.
  Conn& conn = client.conns.at(static_cast<size_t>(node));
  Stream* stream = conn.stream.get();
  RING_ASSERT(stream != nullptr);
  client.active = node;
  client.deadline_ns = sim_.world().now_ns() + options_.request_timeout_ns;
  if (!client.watchdog) arm_watchdog(client, client.deadline_ns);
  struct Done {  // also when the fiber unwinds
    Client& client;
    ~Done() {
      client.deadline_ns = never_ns;
      client.active = -1;
    }
  } done{client};
  std::optional<RespValue> reply;
  if (stream->write(request)) {
    char buffer[4096];
    for (int got = 0; got < replies;) {
      auto parsed = conn.parser.next();
      if (!parsed) break;  // garbage from the node: the history shows the op unfinished
      if (parsed.value()) {
        reply = std::move(*parsed.value());
        if (++got < replies) reply.reset();
        continue;
      }
      auto count = stream->read_some(buffer);
      if (!count) break;
      conn.parser.feed(std::string_view(buffer, count.value()));
    }
  }
  if (!reply) conn.stream.reset();
  return reply;
}

void Workload::complete(size_t index, std::optional<RespValue> reply) {
  Op& op = history_.ops[index];
  RunDigest& digest = sim_.world().digest();
  digest.event("client.reply", sim_.world().now_ns(), op.id, reply.has_value());
  if (reply) {
    op.complete_ns = sim_.world().now_ns();
    fold_reply(digest, *reply);
  }
  op.reply = std::move(reply);
  Client& client = *clients_[op.client];
  if (op.liveness_phase && op.succeeded()) client.progressed = true;
  if (options_.fill_on_miss && op.kind == OpKind::get && op.reply &&
      op.reply->type == RespValue::Type::null) {
    client.fill_key = op.key;
    client.fill_size = client.op_size;
  }
  if (digest.verbose()) digest.note(sim_.world().now_ns(), "client " + op.describe());
}

}  // namespace ringcache::sim
