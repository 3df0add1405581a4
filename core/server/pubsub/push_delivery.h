#pragma once
// Hands pushes (pub/sub messages, client-side caching invalidations) to their target clients.
// A publisher never waits for a subscriber: a push is appended to the target's Client::pushes
// and its connection is woken to send it; a target whose pending output grows past its class's
// client-output-buffer-limit is disconnected, as Redis does, and so is one past
// push_output_bytes_max whatever its class (pushes are never held without bound).
//
// Order per target is the order of delivery. A push to the client whose command is running goes
// in line with its reply when Redis writes it there (PUBLISH to oneself in RESP3 arrives before
// the PUBLISH reply), or after the reply (invalidations of one's own writes, as Redis 7.0).

#include <string_view>

#include "core/server/clients/client.h"
#include "core/server/config/config.h"
#include "core/protocol/reply_writer.h"
#include "core/runtime.h"

namespace ringcache::server {

class PushDelivery {
 public:
  // `limits` are the node's client-output-buffer-limit settings (read at each delivery).
  PushDelivery(Runtime& runtime, const OutputBufferLimits& limits)
      : runtime_(runtime), limits_(limits) {}

  // The client whose command runs now, and the writer of its reply (nested for EXEC).
  struct Executing {
    Client* client = nullptr;
    protocol::ReplyWriter* reply = nullptr;
    bool admitting = false;  // the checks before its handler, not the handler itself
  };
  // Called by dispatch around a command's handler; returns what to restore afterwards. Only
  // EXEC nests (the same client); a handler that suspends (DEBUG SLEEP, blocking commands) may
  // see other clients' commands enter and leave meanwhile, after which no client is executing.
  Executing enter(Client& client, protocol::ReplyWriter& reply) {
    const Executing previous = executing_;
    executing_ = {&client, &reply};
    return previous;
  }
  // Called by dispatch around the checks before a handler (eviction among them): what they push
  // to the client goes ahead of its reply, as Redis sends at once what happens before a command
  // starts (the invalidation of a key evicted to make room for it).
  Executing enter_admission(Client& client, protocol::ReplyWriter& reply) {
    const Executing previous = executing_;
    executing_ = {&client, &reply, true};
    return previous;
  }
  void leave(Executing previous) {
    executing_ = previous.client == executing_.client ? previous : Executing{};
  }
  Client* executing_client() const { return executing_.client; }

  enum class Placement { in_line, after_reply };
  // Queues `bytes` (one push, already encoded for `target`'s protocol) for `target`.
  void deliver(Client& target, std::string_view bytes, Placement placement);

 private:
  void disconnect_over_limit(Client& target);

  Runtime& runtime_;
  const OutputBufferLimits& limits_;
  Executing executing_;
};

}  // namespace ringcache::server
