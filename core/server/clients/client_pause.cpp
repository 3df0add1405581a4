#include "core/server/clients/client_pause.h"

#include <algorithm>

namespace ringcache::server {

void ClientPause::pause(Instant until, PauseScope scope) {
  paused();  // clears an expired pause: it leaves nothing to combine with
  until_ = std::max(until_, until);
  scope_ = std::max(scope_, scope);
}

void ClientPause::unpause() {
  scope_ = PauseScope::none;
  blocked_.wake_postponed();
}

PauseScope ClientPause::scope() {
  if (scope_ != PauseScope::none && runtime_.now() >= until_) scope_ = PauseScope::none;
  return scope_;
}

bool ClientPause::blocks(bool writes) {
  const PauseScope now = scope();
  return now == PauseScope::all || (now == PauseScope::writes && writes);
}

ClientPause::Turn ClientPause::wait_turn(Client& client, bool writes) {
  Turn turn = Turn::at_once;
  // The pause may be extended while this client waits: look again after every wake-up.
  while (blocks(writes)) {
    if (blocked_.postpone(client, until_) == WaitEnd::disconnected) return Turn::client_left;
    turn = Turn::after_waiting;
  }
  return turn;
}

}  // namespace ringcache::server
