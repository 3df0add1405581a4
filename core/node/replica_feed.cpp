#include "core/node/replica_feed.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "core/persistence/aof.h"
#include "core/persistence/aof_rewrite.h"
#include "core/protocol/ascii.h"
#include "core/protocol/integer.h"
#include "core/protocol/resp_parser.h"
#include "core/replication/replication.h"
#include "core/replication/snapshot.h"

namespace ringcache::node {
namespace {

using replication::ReplicaInfo;
using std::chrono::milliseconds;

// What the feeder and its acknowledgement reader share; the reader may outlive neither.
struct AckReader {
  bool running = true;
  bool ended = false;  // the replica's side of the link closed or broke
  std::unique_ptr<WaitQueue> done;
};

// The ACK reader's body: REPLCONF ACK <offset> lines from the replica, until the link ends.
void read_acks(NodeState& node, Stream& stream, server::Client& client, std::string pending,
               AckReader& state) {
  replication::Replication& repl = *node.replication;
  protocol::RespParser parser;
  std::string chunk(constants::read_chunk_bytes, '\0');
  while (true) {
    size_t parsed = 0;
    while (parser.parse(std::string_view(pending).substr(parsed)) ==
           protocol::RespParser::Outcome::command) {
      const auto argv = parser.argv();
      parsed += parser.consumed();
      if (argv.size() >= 3 && protocol::iequals(argv[0], "REPLCONF") &&
          protocol::iequals(argv[1], "ACK")) {
        if (const auto offset = protocol::parse_int64(argv[2]); offset && *offset >= 0) {
          repl.replica_acked(client.id, static_cast<uint64_t>(*offset));
        }
      }
    }
    pending.erase(0, parsed);
    if (pending.size() > constants::repl_handshake_line_bytes_max) break;  // not a replica
    const Result<size_t> read = stream.read_some(chunk);
    if (!read) break;
    pending.append(chunk.data(), read.value());
    client.last_interaction = node.runtime.now();
  }
  state.ended = true;
  repl.source().grown().notify_all();
}

// Sends what the stream gained during a full sync, kept in `buffer`; returns the offset after
// it, once the buffer is empty and detached (the backlog covers the rest), or nullopt when the
// link broke or the replica fell too far behind.
std::optional<uint64_t> send_sync_buffer(NodeState& node, Stream& stream,
                                         replication::SyncBuffer& buffer, uint64_t next) {
  replication::StreamSource& source = node.replication->source();
  while (!buffer.overflowed && !buffer.bytes.empty()) {
    // Moved out first: appends go on while the write suspends.
    const std::string batch = std::move(buffer.bytes);
    buffer.bytes.clear();
    if (!stream.write(batch)) return std::nullopt;
    next += batch.size();
  }
  source.remove_sync_buffer(&buffer);
  if (buffer.overflowed) {
    node.runtime.log(LogLevel::warning,
                     "Replica's sync buffer overflowed during its full sync: "
                     "dropping it (it will start over)");
    return std::nullopt;
  }
  return next;
}

// A full sync: the snapshot of the keyspace at the current offset, streamed while clients keep
// writing (the AOF rewrite's forkless snapshot, docs/aof-format.md), then the end record, then
// the writes made meanwhile. Returns the first offset the stream continues from, or nullopt
// when the link broke.
std::optional<uint64_t> send_snapshot(NodeState& node, Stream& stream, ReplicaInfo::State& state,
                                      const bool& closed) {
  replication::Replication& repl = *node.replication;
  server::Server& server = node.server;
  // The keyspace has one snapshot at a time: wait while the AOF's rewrite (or another
  // replica's sync) holds its lease.
  std::optional<server::SnapshotGate::Lease> lease = server.snapshot_gate().try_acquire();
  while (!lease && !closed && !node.shutting_down) {
    node.runtime.sleep_for(milliseconds(constants::aof_control_period_ms));
    lease = server.snapshot_gate().try_acquire();
  }
  if (!lease || closed || node.shutting_down) return std::nullopt;
  // One step: the snapshot begins at exactly this offset, and the buffer keeps what follows.
  const uint64_t start = repl.source().offset();
  replication::SyncBuffer buffer;
  // client-output-buffer-limit replica: its hard limit bounds what the sync gathers (0: none).
  const uint64_t hard = server.config().output_buffer_limits.replica.hard_bytes;
  if (hard != 0) buffer.bytes_max = std::min<size_t>(buffer.bytes_max, hard);
  repl.source().add_sync_buffer(&buffer);
  struct Detach {
    replication::StreamSource& source;
    replication::SyncBuffer& buffer;
    ~Detach() { source.remove_sync_buffer(&buffer); }
  } detach{repl.source(), buffer};
  persistence::AofRewrite rewrite(persistence::keyspace_walk(server), std::move(*lease),
                                  std::make_unique<replication::SnapshotOutput>(stream));
  const Instant began = node.runtime.now();
  if (!stream.write(fmt::format("+FULLRESYNC {} {}\r\n", repl.ids().id, start))) {
    return std::nullopt;
  }
  state = ReplicaInfo::State::send_snapshot;
  if (Status sent = rewrite.run(); !sent) return std::nullopt;
  if (!stream.write(replication::snapshot_end_record())) return std::nullopt;
  node.runtime.log(
      LogLevel::notice,
      fmt::format("Synchronization with replica succeeded: {} keys, {} bytes in {} ms",
                  rewrite.keys_written(), rewrite.bytes_written(),
                  std::chrono::duration_cast<milliseconds>(node.runtime.now() - began).count()));
  return send_sync_buffer(node, stream, buffer, start + 1);
}

// The stream from `next` on, as the backlog grows, until the link ends or the replica falls out
// of the backlog.
void send_stream(NodeState& node, Stream& stream, uint64_t next, const AckReader& acks,
                 const bool& closed) {
  replication::StreamSource& source = node.replication->source();
  std::string chunk;
  while (!closed && !acks.ended && !node.shutting_down && !node.replication->is_replica()) {
    const replication::Backlog* backlog = source.backlog();
    if (backlog == nullptr || !backlog->covers(next)) {
      node.runtime.log(LogLevel::warning,
                       fmt::format("Replica fell behind the replication backlog (it needs offset "
                                   "{}, the backlog holds {}..{}): dropping it (it will resync)",
                                   next, backlog ? backlog->first_offset() : 0,
                                   backlog ? backlog->end_offset() : 0));
      return;
    }
    chunk.clear();
    next += backlog->copy_from(next, constants::repl_send_chunk_bytes, chunk);
    if (chunk.empty()) {
      source.grown().wait_until(node.runtime.now() +
                                milliseconds(constants::repl_feed_idle_check_ms));
      // Let the rest of this loop round's clients write first: one send to the replica then
      // carries all their writes, where sending at each wake-up would cost a system call per
      // write at -P 1 (and the replica a read and an acknowledgement per write).
      node.runtime.yield();
      continue;
    }
    if (!stream.write(chunk)) return;
  }
}

std::string ip_of(std::string_view address) {
  const size_t colon = address.rfind(':');
  return std::string(colon == std::string_view::npos ? address : address.substr(0, colon));
}

}  // namespace

void serve_replica(NodeState& node, std::shared_ptr<Stream> stream, server::Client& client,
                   std::string pending, const bool& closed) {
  replication::Replication& repl = *node.replication;
  replication::StreamSource& source = repl.source();
  client.psync_requested = false;
  const replication::PsyncDecision decision =
      repl.decide_psync(client.psync_replid, client.psync_offset);
  repl.ensure_backlog();
  ReplicaInfo& info =
      source.add_replica(client.id, ip_of(client.address), client.replica_listening_port);
  struct Leave {  // however this ends, the replica is forgotten
    replication::StreamSource& source;
    uint64_t id;
    ~Leave() { source.remove_replica(id); }
  } leave{source, client.id};
  auto acks = std::make_shared<AckReader>();
  acks->done = node.runtime.make_wait_queue();
  node.spawn_counted("replica-acks", [&node, stream, &client, pending = std::move(pending), acks] {
    read_acks(node, *stream, client, pending, *acks);
    acks->running = false;
    acks->done->notify_all();
  });
  std::optional<uint64_t> next;
  if (decision.partial) {
    node.runtime.log(LogLevel::notice, "Partial resynchronization request accepted");
    if (stream->write(fmt::format("+CONTINUE {}\r\n", repl.ids().id))) {
      next = static_cast<uint64_t>(client.psync_offset);
    }
  } else {
    node.runtime.log(LogLevel::notice, "Full resync requested by replica: " + decision.reason);
    next = send_snapshot(node, *stream, info.state, closed);
  }
  if (next) {
    info.state = ReplicaInfo::State::online;
    info.last_ack = node.runtime.now();
    send_stream(node, *stream, *next, *acks, closed);
  }
  // The reader holds `client`: it must be done before the connection goes.
  stream->close();
  while (acks->running) acks->done->wait();
}

}  // namespace ringcache::node
