#include "core/node/client_pause.h"

#include <algorithm>

namespace ringcache::node {

void ClientPause::pause(Instant until, PauseScope scope) {
  if (!paused()) scope_ = PauseScope::none;  // an expired pause leaves nothing to combine with
  until_ = std::max(until_, until);
  scope_ = std::max(scope_, scope);
}

void ClientPause::unpause() {
  scope_ = PauseScope::none;
  blocked_.wake_postponed();
}

PauseScope ClientPause::scope() const {
  if (scope_ == PauseScope::none || runtime_.now() >= until_) return PauseScope::none;
  return scope_;
}

bool ClientPause::blocks(bool writes) const {
  const PauseScope now = scope();
  return now == PauseScope::all || (now == PauseScope::writes && writes);
}

bool ClientPause::wait_turn(Client& client, bool writes) {
  // The pause may be extended while this client waits: look again after every wake-up.
  while (blocks(writes)) {
    if (blocked_.postpone(client, until_) == WaitEnd::disconnected) return false;
  }
  return true;
}

}  // namespace ringcache::node
