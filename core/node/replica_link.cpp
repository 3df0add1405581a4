#include "core/node/replica_link.h"

#include <fmt/format.h>

#include <chrono>
#include <vector>

#include "core/commands/dispatch.h"
#include "core/persistence/aof_record.h"
#include "core/replication/replication.h"
#include "core/replication/resume_point.h"
#include "core/replication/snapshot.h"
#include "core/replication/stream_applier.h"

namespace ringcache::node {
namespace {

using replication::LinkState;
using std::chrono::milliseconds;
using std::chrono::seconds;

// One connection to the primary and what the link's fibers share about it.
struct Link {
  Link(NodeState& node, replication::Replication& repl, uint64_t generation)
      : node(node), repl(repl), generation(generation), applied(node.runtime.make_wait_queue()) {
    master.id = node.server.next_client_id();
    master.replication_master = true;
    master.authenticated = true;
  }
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  NodeState& node;
  replication::Replication& repl;
  uint64_t generation;
  std::shared_ptr<Stream> stream;
  std::string input;      // read but not consumed yet
  std::string chunk = std::string(constants::read_chunk_bytes, '\0');  // one read's bytes
  server::Client master;  // runs the primary's commands
  std::string replies;    // the master client's replies, dropped
  protocol::ReplyWriter writer{replies};
  uint64_t applied_offset = 0;
  std::unique_ptr<WaitQueue> applied;  // wakes the acknowledger
  bool ended = false;

  // Whether REPLICAOF still wants this link.
  bool current() const {
    const auto& replica = repl.replica();
    return replica && replica->generation == generation && !node.shutting_down && !ended;
  }
  replication::ReplicaState& state() { return *repl.replica(); }

  Status send(std::span<const std::string_view> argv) {
    std::string command;
    persistence::append_resp_command(command, argv);
    return stream->write(command);
  }
  Status send(std::initializer_list<std::string_view> argv) {
    return send(std::span<const std::string_view>(argv.begin(), argv.size()));
  }
  // Reads more of the link into `input`; false when it ended.
  bool read_more() {
    const Result<size_t> read = stream->read_some(chunk);
    if (!read || !current()) return false;
    input.append(chunk.data(), read.value());
    state().last_io = node.runtime.now();
    return true;
  }
  // The next CRLF-ended line of the handshake (without the CRLF).
  Result<std::string> read_line() {
    while (true) {
      const size_t end = input.find("\r\n");
      if (end != std::string::npos) {
        std::string line = input.substr(0, end);
        input.erase(0, end + 2);
        return line;
      }
      if (input.size() > constants::repl_handshake_line_bytes_max) {
        return Status(Errc::corrupt, "handshake line too long");
      }
      if (!read_more()) return Status(Errc::closed, "link closed during the handshake");
    }
  }
  // Runs one command of the primary's as the master client (dispatch shows it the keyspace as
  // the primary sees it).
  void run(std::span<const std::string_view> argv) {
    commands::execute(node.server, master, argv, writer, commands::CommandTime::read_clock);
    replies.clear();
  }
};

// Sends `argv` and checks the one-line reply; errors as Redis logs them.
Status exchange(Link& link, std::initializer_list<std::string_view> argv, bool error_ok = false) {
  if (Status sent = link.send(argv); !sent) return sent;
  auto line = link.read_line();
  if (!line) return line.status();
  if (line.value().starts_with('-') && !error_ok) {
    return Status(Errc::refused, fmt::format("{} answered {}", argv.begin()[0], line.value()));
  }
  return Status::ok();
}

Status handshake(Link& link) {
  const server::Config& config = link.node.server.config();
  link.state().link = LinkState::handshake;
  // PING first: an error such as -NOAUTH still proves a live primary (AUTH follows).
  if (Status status = exchange(link, {"PING"}, true); !status) return status;
  if (!config.replication.masterauth.empty()) {
    if (Status status = exchange(link, {"AUTH", config.replication.masterauth}); !status) {
      return status;
    }
  }
  const std::string port = std::to_string(config.port);
  if (Status status = exchange(link, {"REPLCONF", "listening-port", port}); !status) return status;
  return exchange(link, {"REPLCONF", "capa", "eof", "capa", "psync2"}, true);
}

// Receives the snapshot after +FULLRESYNC: the keyspace is emptied, then each command of the
// snapshot runs as the master client (so the replica's own AOF records them too).
Status receive_snapshot(Link& link, const replication::PsyncReply& reply) {
  link.state().link = LinkState::syncing;
  link.state().snapshot_bytes = 0;
  link.node.runtime.log(LogLevel::notice,
                        fmt::format("Full resync from master: {}:{}", reply.replid, reply.offset));
  const std::array<std::string_view, 1> flush{"FLUSHALL"};
  link.run(flush);
  replication::SnapshotReader reader([&link](auto argv) { link.run(argv); });
  while (true) {
    auto taken = reader.feed(link.input);
    if (!taken) return taken.status();
    link.state().snapshot_bytes += taken.value();
    link.input.erase(0, taken.value());
    if (reader.done()) break;
    if (!link.read_more()) return Status(Errc::closed, "link closed during the full sync");
  }
  link.repl.synced(reply.replid, reply.offset);
  link.node.runtime.log(LogLevel::notice,
                        fmt::format("MASTER <-> REPLICA sync: Finished with success ({} commands)",
                                    reader.commands_applied()));
  return Status::ok();
}

// The acknowledger: REPLCONF ACK every second and soon after writes are applied; closes a link
// silent for longer than repl-timeout.
void acknowledge(std::shared_ptr<Link> link) {
  Runtime& runtime = link->node.runtime;
  while (link->current()) {
    link->applied->wait_until(runtime.now() + milliseconds(constants::repl_ack_period_ms));
    if (!link->current()) break;
    const int64_t timeout_s = link->node.server.config().replication.timeout_seconds;
    if (runtime.now() - link->state().last_io > seconds(timeout_s)) {
      runtime.log(LogLevel::warning, "MASTER timeout: no data nor PING received");
      link->stream->close();
      break;
    }
    // After writes: at once; otherwise once a period (the wait above timed out).
    const std::string offset = std::to_string(link->applied_offset);
    if (!link->send({"REPLCONF", "ACK", offset})) break;
  }
}

// Applies the stream until the link ends.
void follow_stream(std::shared_ptr<Link> link) {
  replication::Replication& repl = link->repl;
  link->applied_offset = repl.offset();
  replication::StreamApplier applier(
      repl.offset(), [&](std::span<const server::ArgvView> unit, std::string_view raw) {
        for (const server::ArgvView argv : unit) link->run(argv);
        repl.source().append(raw);  // the replica's backlog: the primary's bytes, verbatim
      });
  link->state().link = LinkState::connected;
  link->state().down_since.reset();
  link->node.spawn_counted("replica-ack", [link] { acknowledge(link); });
  link->applied->notify_all();  // the first ACK tells the primary where this replica is
  while (true) {
    if (!link->input.empty()) {
      if (Status fed = applier.feed(link->input); !fed) {
        link->node.runtime.log(LogLevel::warning, "Replication stream: " + fed.message());
        return;
      }
      link->input.clear();
      if (applier.applied_offset() != link->applied_offset) {
        link->applied_offset = applier.applied_offset();
        link->applied->notify_all();
      }
    }
    if (!link->read_more()) return;
  }
}

// One link to the primary, from connect to its end.
void run_link(NodeState& node, replication::Replication& repl) {
  replication::ReplicaState& state = *repl.replica();
  auto link = std::make_shared<Link>(node, repl, state.generation);
  state.link = LinkState::connecting;
  // tls-replication: the primary's replicaof port is then its tls-port.
  const Transport transport =
      node.server.config().tls.replication ? Transport::tls : Transport::plain;
  auto connected = node.runtime.connect(state.primary_host, state.primary_port, transport);
  if (!connected) {
    node.runtime.log(LogLevel::warning,
                     "Error connecting to MASTER: " + connected.status().to_string());
    return;
  }
  link->stream = std::move(connected.value());
  if (!link->current()) return link->stream->close();
  state.close_link = [stream = link->stream] { stream->close(); };
  state.last_io = node.runtime.now();
  Status status = handshake(*link);
  // A FAILOVER hands over to this link's primary: its PSYNC asks it to take over first.
  const bool failing_over =
      repl.failover_state() == replication::Replication::FailoverState::handing_over;
  if (status) {
    const std::string replid = repl.psync_replid();
    const std::string offset = std::to_string(repl.psync_offset());
    std::vector<std::string_view> psync{"PSYNC", replid, offset};
    if (failing_over) psync.emplace_back("FAILOVER");
    status = link->send(std::span<const std::string_view>(psync));
  }
  Result<std::string> line = status ? link->read_line() : Result<std::string>(status);
  if (line) {
    const auto reply = replication::parse_psync_reply(line.value());
    if (failing_over) repl.failover_answered(reply.kind != replication::PsyncReply::Kind::error);
    if (reply.kind == replication::PsyncReply::Kind::full) {
      status = receive_snapshot(*link, reply);
    } else if (reply.kind == replication::PsyncReply::Kind::partial) {
      node.runtime.log(LogLevel::notice, "Successful partial resynchronization with master");
      repl.continued(reply.replid);
    } else {
      status = Status(Errc::refused, "PSYNC answered " + reply.error);
    }
    if (status && link->current()) follow_stream(link);
  } else {
    status = line.status();
  }
  if (!status) node.runtime.log(LogLevel::warning, "Replication link: " + status.to_string());
  link->ended = true;
  link->stream->close();
  link->applied->notify_all();
  if (repl.replica() && repl.replica()->generation == link->generation) {
    repl.replica()->close_link = nullptr;
    repl.replica()->down_since = node.runtime.now();
  }
}

// A replica restarted on its AOF after a clean shutdown resumes where that AOF ends. Waits for
// the AOF to load first: the data must be in before the primary's stream or snapshot.
void resume_after_restart(NodeState& node, replication::Replication& repl) {
  // Only a node started as a replica (replicaof) with its AOF on has a point to resume from.
  if (!repl.is_replica() || !node.server.config().aof.enabled) return;
  while (node.server.loading() && !node.shutting_down) {
    node.runtime.sleep_for(milliseconds(constants::aof_control_period_ms));
  }
  const auto point = replication::take_resume_point(node.runtime.disk());
  if (!point || !repl.is_replica()) return;
  repl.resume_from(*point);
  node.runtime.log(LogLevel::notice,
                   fmt::format("Resuming replication of {} at offset {} (from the last clean "
                               "shutdown)",
                               point->replid, point->offset));
}

// At a clean shutdown of a replica whose AOF holds what it applied: where to resume.
void save_resume_point(NodeState& node, replication::Replication& repl) {
  if (!repl.is_replica() || !repl.history_known() || !node.server.config().aof.enabled) return;
  const replication::ResumePoint point{repl.ids().id, repl.offset()};
  if (Status saved = replication::save_resume_point(node.runtime.disk(), point); !saved) {
    node.runtime.log(LogLevel::warning,
                     "Saving the replication resume point: " + saved.to_string());
  }
}

}  // namespace

void run_replica_link(NodeState& node) {
  replication::Replication& repl = *node.replication;
  node.shutdown_hooks.push_back([&repl] {
    if (repl.replica() && repl.replica()->close_link) repl.replica()->close_link();
    repl.follow_changed().notify_all();
    repl.source().grown().notify_all();  // the feeders look at shutting_down
  });
  resume_after_restart(node, repl);
  while (!node.shutting_down) {
    if (!repl.replica()) {
      repl.follow_changed().wait();
      continue;
    }
    const uint64_t generation = repl.replica()->generation;
    run_link(node, repl);
    // However the link ended (refused, broken, timed out), the replica must connect again:
    // after a pause, unless REPLICAOF changed meanwhile.
    if (repl.replica() && repl.replica()->generation == generation) {
      repl.replica()->link = LinkState::connect;
    }
    if (!node.shutting_down && repl.replica() && repl.replica()->generation == generation) {
      repl.follow_changed().wait_until(node.runtime.now() +
                                       milliseconds(constants::repl_reconnect_backoff_ms));
    }
  }
  save_resume_point(node, repl);
}

}  // namespace ringcache::node
