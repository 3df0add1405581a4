#include "core/node/slot_migration.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>

#include "core/cluster/key_slot.h"
#include "core/persistence/aof_record.h"
#include "core/persistence/key_commands.h"
#include "core/util/integer.h"

namespace ringcache::node {
namespace {

int64_t clock_ms(Runtime& runtime) { return cluster::cluster_clock_ms(runtime.now()); }

}  // namespace

SlotMigrator::SlotMigrator(NodeState& node, cluster::ClusterState& state)
    : node_(node), state_(state), wakeup_(node.runtime.make_wait_queue()) {}

bool SlotMigrator::stopping() const { return stopped_ || node_.shutting_down; }

bool SlotMigrator::epoch_is(uint64_t epoch) const {
  return state_.membership().config().epoch == epoch && !stopping();
}

void SlotMigrator::run() {
  while (!stopping()) {
    const uint64_t epoch = state_.membership().config().epoch;
    if (drained_epoch_ != epoch) {
      drained_.clear();
      short_targets_.clear();
      drained_epoch_ = epoch;
    }
    const Status status = round(epoch);
    if (!status) {
      node_.runtime.log(LogLevel::verbose, "Cluster migration: " + status.to_string());
      disconnect();
    }
    wait_ms(status ? constants::cluster_migration_done_repeat_ms
                   : constants::cluster_migration_retry_ms);
  }
  disconnect();
}

// One round in the configuration of `epoch`: moves what this node must move, then tells every
// node that ends the move (again each round, so one that missed it or restarted learns it).
Status SlotMigrator::round(uint64_t epoch) {
  const std::vector<cluster::NodeId> sources = state_.migration_sources();
  if (std::find(sources.begin(), sources.end(), state_.my_id()) == sources.end() ||
      !state_.serving(clock_ms(node_.runtime))) {
    disconnect();
    return Status::ok();
  }
  const std::vector<cluster::NodeId> targets = state_.migration_targets();
  for (const cluster::NodeId& target : targets) {
    if (Status moved = migrate_to(target, epoch); !moved) return moved;
  }
  state_.set_drained(epoch);
  const std::vector<cluster::NodeId> finishers = state_.migration_finishers();
  const std::string epoch_text = std::to_string(epoch);
  for (const cluster::NodeId& finisher : finishers) {
    if (!epoch_is(epoch)) return Status(Errc::invalid_argument, "the configuration changed");
    if (finisher == state_.my_id()) {
      (void)state_.record_source_done(finisher, epoch);
      continue;
    }
    Status told = connect_to(finisher);
    if (told) told = command({"CLUSTER", "MIGRATION-DONE", state_.my_id(), epoch_text});
    if (!told) return told;
  }
  return Status::ok();
}

void SlotMigrator::wait_ms(int64_t ms) {
  if (stopping()) return;
  (void)wakeup_->wait_until(node_.runtime.now() + std::chrono::milliseconds(ms));
}

void SlotMigrator::wake() {
  const std::vector<cluster::NodeId>& targets = state_.migration_targets();
  const std::vector<cluster::NodeId>& finishers = state_.migration_finishers();
  const auto listed = [&](const std::vector<cluster::NodeId>& ids) {
    return std::find(ids.begin(), ids.end(), stream_target_) != ids.end();
  };
  if (stream_ && !listed(targets) && !listed(finishers)) {
    stream_->close();  // the fiber, parked on it, wakes with an error
  }
  wakeup_->notify_all();
}

void SlotMigrator::check(int64_t now_ms) {
  if (batch_started_ms_ && stream_ &&
      now_ms - *batch_started_ms_ > constants::cluster_migration_batch_timeout_ms) {
    stream_->close();
  }
}

void SlotMigrator::stop() {
  stopped_ = true;
  if (stream_) stream_->close();
  wakeup_->notify_all();
}

void SlotMigrator::disconnect() {
  if (stream_) stream_->close();
  stream_.reset();
  stream_target_.clear();
  replies_.clear();
}

// Moves every key of the slots going to `target`, unless done already in this epoch.
Status SlotMigrator::migrate_to(const cluster::NodeId& target, uint64_t epoch) {
  while (!drained_.count(target)) {
    if (Status connected = connect_to(target); !connected) return connected;
    if (Status ready = target_ready(target); !ready) return ready;
    Result<size_t> moved = pass(target, epoch);
    if (!moved) return moved.status();
    if (moved.value() == 0) drained_.insert(target);
  }
  return Status::ok();
}

Status SlotMigrator::connect_to(const cluster::NodeId& target) {
  if (stream_ && stream_target_ == target) return Status::ok();
  disconnect();
  const cluster::ShardAddress address = state_.member_address(target);
  if (address.member == nullptr || address.ip.empty()) {
    return Status(Errc::not_found, "no client address for the target");
  }
  // tls-cluster: every member announces its tls-port as its client port (cluster_bus.cpp).
  const Transport transport =
      node_.server.config().tls.cluster ? Transport::tls : Transport::plain;
  Result<std::unique_ptr<Stream>> stream =
      node_.runtime.connect(address.ip, address.member->client_port, transport);
  if (!stream) return stream.status();
  stream_ = std::move(stream.value());
  stream_target_ = target;
  const std::string& password = node_.server.config().requirepass;
  if (!password.empty()) return command({"AUTH", password});
  return Status::ok();
}

// One walk of the keyspace; how many keys it moved.
Result<size_t> SlotMigrator::pass(const cluster::NodeId& target, uint64_t epoch) {
  size_t moved = 0;
  uint64_t cursor = 0;
  do {
    if (!epoch_is(epoch)) return Status(Errc::invalid_argument, "the configuration changed");
    Batch batch;
    cursor = collect(target, cursor, batch);
    if (batch.keys.empty()) {
      node_.runtime.yield();  // nothing locked: let clients run
      continue;
    }
    if (Status sent = send_batch(epoch, batch); !sent) return sent;
    moved += batch.keys.size();
  } while (cursor != 0);
  return moved;
}

// Copies keys of slots moving to `target` into `batch` from `cursor` on, without suspending
// (so each copy is what the key holds when it is locked); returns the cursor to go on from.
uint64_t SlotMigrator::collect(const cluster::NodeId& target, uint64_t cursor, Batch& batch) {
  store::Keyspace& keyspace = node_.server.keyspace();
  keyspace.set_now_ms(node_.runtime.wall_time_ms());
  batch.collected = node_.runtime.now();
  const auto take = [&](const store::Entry& entry) {
    const std::optional<cluster::ShardAddress> to =
        state_.migrating_to(cluster::key_slot(entry.key()));
    if (!to || to->member == nullptr || to->member->node_id != target) return;
    const std::array<std::string_view, 2> del{"DEL", entry.key()};
    persistence::append_resp_command(batch.payload, del);
    // The expiry travels as what remains of it: the target's wall clock may differ.
    persistence::emit_key_commands(
        entry,
        [&](std::span<const std::string_view> argv) {
          persistence::append_resp_command(batch.payload, argv);
        },
        keyspace.now_ms());
    batch.keys.emplace_back(entry.key());
  };
  for (size_t step = 0; step < constants::cluster_migration_scan_steps_per_batch; ++step) {
    cursor = keyspace.scan(cursor, constants::cluster_migration_scan_keys_per_step, take);
    if (cursor == 0 || batch.keys.empty() ||
        batch.payload.size() >= constants::cluster_migration_batch_bytes ||
        batch.keys.size() >= constants::cluster_migration_batch_keys) {
      break;
    }
  }
  return cursor;
}

// Sends one batch and waits for the target's acknowledgement; its keys stay locked meanwhile.
Status SlotMigrator::send_batch(uint64_t epoch, Batch& batch) {
  cluster::MigrationState& migration = state_.migration();
  migration.begin_batch(batch.keys);
  batch_started_ms_ = clock_ms(node_.runtime);
  size_t replies = 0;
  Status status = send_chunks(epoch, batch, replies);
  for (size_t i = 0; status.is_ok() && i < replies; ++i) {
    Result<std::string> reply = read_reply();
    if (!reply) status = reply.status();
  }
  batch_started_ms_.reset();
  if (status.is_ok()) {
    // Still locked: the target's replicas get the batch before this node lets its copies go.
    // Short of them (a replica failed since the pass began) the keys move anyway: kept here too,
    // a copy on the target could outlive a later delete here and come back after the move.
    const size_t wanted = replicas_online();
    Result<size_t> holding = target_replicas_holding(wanted);
    if (!holding) {
      status = holding.status();
    } else if (holding.value() < wanted) {
      node_.runtime.log(LogLevel::notice,
                        fmt::format("Cluster migration: a batch of {} keys reached {} of {} "
                                    "replicas of the target",
                                    batch.keys.size(), holding.value(), wanted));
    }
  }
  if (status.is_ok()) {
    delete_moved(batch.keys);
    migration.stats().keys_sent += batch.keys.size();
    migration.stats().bytes_sent += batch.payload.size();
    ++migration.stats().batches_sent;
  } else {
    ++migration.stats().batches_failed;
  }
  migration.end_batch();
  return status;
}

// The batch as CLUSTER IMPORT commands of at most a chunk each, paced by the rate limit. Each
// chunk carries the batch's age as it is written (ms since collect(), rounded down): the target
// takes the last chunk's off the batch's relative TTLs, so the time the batch spent here (rate
// pacing, earlier chunks waiting for room on the connection) does not lengthen them; the last
// chunk's own way to the target (socket buffers, the network) still does.
Status SlotMigrator::send_chunks(uint64_t epoch, const Batch& batch, size_t& replies) {
  const std::string& payload = batch.payload;
  const std::string epoch_text = std::to_string(epoch);
  size_t offset = 0;
  do {
    const size_t size = std::min(constants::cluster_migration_chunk_bytes, payload.size() - offset);
    const bool last = offset + size == payload.size();
    const std::string_view chunk = std::string_view(payload).substr(offset, size);
    pace(chunk.size());
    const std::string age_text = std::to_string(
        std::chrono::duration_cast<std::chrono::milliseconds>(node_.runtime.now() - batch.collected)
            .count());
    const std::array<std::string_view, 7> argv{
        "CLUSTER", "IMPORT", state_.my_id(), epoch_text, last ? "COMMIT" : "MORE", chunk, age_text};
    std::string request;
    persistence::append_resp_command(request, argv);
    if (!stream_) return Status(Errc::closed, "connection closed");
    if (Status written = stream_->write(request); !written) return written;
    ++replies;
    offset += size;
  } while (offset < payload.size());
  return Status::ok();
}

// The target holds the keys now: they go here, as DELs for the AOF, and later commands on them
// are sent to the target.
void SlotMigrator::delete_moved(const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    if (!node_.server.keyspace().erase(key)) continue;
    const std::array<std::string_view, 2> del{"DEL", key};
    const std::array<server::ArgvView, 1> unit{server::ArgvView(del)};
    node_.server.propagate(unit);
    node_.server.key_modified(key);
  }
}

Status SlotMigrator::command(const std::vector<std::string>& argv) {
  if (!stream_) return Status(Errc::closed, "connection closed");
  const std::vector<std::string_view> views(argv.begin(), argv.end());
  std::string request;
  persistence::append_resp_command(request, views);
  if (Status written = stream_->write(request); !written) return written;
  Result<std::string> reply = read_reply();
  return reply ? Status::ok() : reply.status();
}

// Whether keys may move to `target` now: it has as many replicas online as this node, or it
// has been waited for long enough in this configuration.
Status SlotMigrator::target_ready(const cluster::NodeId& target) {
  const size_t wanted = replicas_online();
  Result<size_t> holding = target_replicas_holding(wanted);
  if (!holding) return holding.status();
  if (holding.value() >= wanted) return Status::ok();
  const int64_t now = clock_ms(node_.runtime);
  const auto since = short_targets_.try_emplace(target, now).first;
  if (now - since->second < constants::cluster_migration_replica_patience_ms) {
    return Status(Errc::timed_out,
                  fmt::format("the target has {} of the {} replicas online this shard keeps its "
                              "keys on",
                              holding.value(), wanted));
  }
  if (now - since->second < constants::cluster_migration_replica_patience_ms +
                                constants::cluster_migration_retry_ms) {
    node_.runtime.log(LogLevel::notice,
                      fmt::format("Cluster migration: moving keys to a target with {} of {} "
                                  "replicas online after waiting {} ms",
                                  holding.value(), wanted, now - since->second));
  }
  return Status::ok();
}

// WAIT on the target: how many of its replicas hold what this connection wrote (all of them
// online, before the first batch), waiting a bounded time for `wanted`.
Result<size_t> SlotMigrator::target_replicas_holding(size_t wanted) {
  if (wanted == 0) return size_t{0};
  const std::string wanted_text = std::to_string(wanted);
  const std::string timeout_text = std::to_string(constants::cluster_migration_replica_wait_ms);
  const std::array<std::string_view, 3> argv{"WAIT", wanted_text, timeout_text};
  std::string request;
  persistence::append_resp_command(request, argv);
  if (!stream_) return Status(Errc::closed, "connection closed");
  if (Status written = stream_->write(request); !written) return written;
  Result<std::string> line = read_line();
  if (!line) return line.status();
  int64_t count = -1;
  if (line.value().size() > 1 && line.value()[0] == ':') {
    count = parse_int64(std::string_view(line.value()).substr(1)).value_or(-1);
  }
  if (count < 0) return Status(Errc::invalid_argument, "the target answered: " + line.value());
  return static_cast<size_t>(count);
}

size_t SlotMigrator::replicas_online() const {
  const server::ReplicationControl* replication = node_.server.replication();
  return replication != nullptr ? replication->good_replicas() : 0;
}

// The next reply line: "+..." is a success, "-..." the target's refusal.
Result<std::string> SlotMigrator::read_reply() {
  Result<std::string> line = read_line();
  if (!line) return line;
  if (line.value().empty() || line.value()[0] != '+') {
    return Status(Errc::invalid_argument, "the target answered: " + line.value());
  }
  return line;
}

Result<std::string> SlotMigrator::read_line() {
  size_t end = replies_.find("\r\n");
  std::array<char, 4096> buffer{};
  while (end == std::string::npos) {
    if (!stream_) return Status(Errc::closed, "connection closed");
    Result<size_t> read = stream_->read_some(buffer);
    if (!read) return read.status();
    replies_.append(buffer.data(), read.value());
    end = replies_.find("\r\n");
  }
  std::string line = replies_.substr(0, end);
  replies_.erase(0, end + 2);
  return line;
}

// Waits as long as the rate limit asks before `bytes` more leave.
void SlotMigrator::pace(size_t bytes) {
  const uint64_t rate = node_.server.config().cluster.migration_rate_bytes;
  if (rate == 0) return;
  const Instant now = node_.runtime.now();
  if (next_send_ > now) node_.runtime.sleep_until(next_send_);
  const auto cost = std::chrono::nanoseconds(static_cast<int64_t>(
      static_cast<double>(bytes) * 1e9 / static_cast<double>(rate)));
  next_send_ = std::max(next_send_, now) + cost;
}

}  // namespace ringcache::node
