#pragma once
// CLIENT PAUSE: while the node is paused, clients' commands wait: every command (scope all), or
// those that may change the dataset or be propagated (scope writes), as in Redis 7.0. DEBUG SLEEP
// pauses all clients for its duration, as Redis' blocks its whole event loop; active expiry and
// eviction stop meanwhile too, so the dataset holds still.
//
// A waiting command is postponed in server::BlockedClients (INFO blocked_clients counts it, its
// disconnect ends the wait and the command never runs), and runs once the pause ends: at its
// deadline or at CLIENT UNPAUSE.

#include "core/server/clients/blocking.h"
#include "core/server/clients/client.h"
#include "core/runtime.h"

namespace ringcache::server {

enum class PauseScope { none, writes, all };

class ClientPause {
 public:
  ClientPause(Runtime& runtime, BlockedClients& blocked) : runtime_(runtime), blocked_(blocked) {}

  // Pauses until `until`. A pause in force is only ever extended, and its scope only widened
  // (all outranks writes), as Redis combines two pauses.
  void pause(Instant until, PauseScope scope);
  // Lifts the pause now; postponed commands run.
  void unpause();
  // The scope in force now (none once its deadline has passed: an expired pause is cleared
  // here, so that without a pause no call reads the clock).
  PauseScope scope();
  bool paused() { return scope() != PauseScope::none; }

  enum class Turn { at_once, after_waiting, client_left };
  // Suspending. Waits while a command that writes (`writes`) or any command must wait; says
  // whether it waited, or that the client disconnected meanwhile (its command must not run).
  Turn wait_turn(Client& client, bool writes);

 private:
  bool blocks(bool writes);

  Runtime& runtime_;
  BlockedClients& blocked_;
  Instant until_{};
  PauseScope scope_ = PauseScope::none;
};

}  // namespace ringcache::server
