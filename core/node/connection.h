#pragma once
// What RESP and HTTP connections share: the client record registered with the server (so both
// count against maxclients, show in CLIENT LIST, obey `timeout` and CLIENT KILL, and close on
// shutdown), the stream, the input buffer and the pending output, with the byte statistics.
// Each protocol's connection derives from it and adds its parser and request loop.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/server/clients/client.h"
#include "core/node/node_state.h"
#include "core/node/query_buffer.h"

namespace ringcache::node {

class Connection {
 public:
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Closes the stream; the fiber parked on it wakes and ends. Never suspends.
  void close();
  // The cron's turn at the query buffer (QueryBuffer::resize_while_empty), taken only while the
  // connection waits for input with nothing pending. Never suspends.
  void resize_query_buffer();

 protected:
  Connection(NodeState& node, std::shared_ptr<Stream> stream);
  ~Connection();  // unregisters the client and closes the stream, also when unwinding

  // Registers the client; when maxclients are connected, sends `refusal` and returns false (as
  // Redis, refused connections are not counted as received).
  bool admit(std::string_view refusal);
  // Turns the client away before it is admitted: sends `reply` and counts a rejected connection.
  void refuse(std::string_view reply);
  // Reads what the socket has into query_, with room for at least `wanted` bytes; false when
  // the connection is over (closed, broken, or the buffer reached its cap).
  bool read_more(size_t wanted);
  size_t query_buffer_limit() const;
  // Shows the query buffer's figures in the client record (CLIENT LIST, memory accounting).
  void note_query_buffer() {
    client_.query_buffer_bytes = query_.size();
    client_.query_buffer_free_bytes = query_.free_bytes();
  }
  // Sends output_ (and the pushes that arrived after it) with one write; false when the
  // connection is broken.
  bool flush();
  // Moves pushes that arrived for this client into output_, in line with its replies.
  void take_pushes() {
    if (client_.pushes.empty()) return;
    output_.append(client_.pushes);
    client_.pushes.clear();
  }

  NodeState& node_;
  server::Server& server_;
  std::shared_ptr<Stream> stream_;
  server::Client client_;
  QueryBuffer query_;
  std::string output_;
  bool closed_ = false;

 private:
  // While a command of this client is blocked (BLPOP...), its fiber is parked in the command,
  // so a helper fiber reads the socket in its place: a disconnect ends the wait, and bytes that
  // arrive meanwhile are kept for the connection, which takes them on its next read.
  struct PeerWatch {
    std::string bytes;
    bool running = false;
    bool ended = false;  // the peer closed or the stream broke
    std::unique_ptr<WaitQueue> done;
  };
  void watch_peer_while_blocked();
  // read_more's share of a watch: waits for the watching fiber, then hands over what it read.
  // Returns nullopt when no watch is pending (read the socket), else read_more's answer.
  std::optional<bool> take_watched_input();

  std::shared_ptr<PeerWatch> watch_;
  bool waiting_for_input_ = false;  // parked in wait_readable, the query buffer empty
  // Sending to the stream is shared by this connection's fiber (replies) and, once a push has
  // arrived while it waited for input, a push-writer fiber; one write is in flight at a time.
  // Held by shared_ptr: the push writer may outlive the connection by one wake-up.
  struct WriteGate {
    std::unique_ptr<WaitQueue> changed;
    bool writing = false;         // a write is in flight
    bool replies_waiting = false; // the reply flush waits: pushes go after its replies
    bool pusher_running = false;
    bool closed = false;          // the connection is gone: the push writer ends
  };
  void wake_pusher();
  // The push writer's loop: sends the client's pushes whenever the stream is free.
  static void write_pushes(std::shared_ptr<WriteGate> gate, std::shared_ptr<Stream> stream,
                           Connection* self);

  std::shared_ptr<WriteGate> gate_;
  bool replies_writing_ = false;
  bool registered_ = false;
};

}  // namespace ringcache::node
