#pragma once
// WATCH's registry: which clients watch which key, so a change to the key (a write, an expiry,
// an eviction, FLUSHALL) marks their transactions dirty and their EXEC answers nil.

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/server/clients/client.h"

namespace ringcache::server {

class WatchedKeys {
 public:
  // Adds `key` to what `client` watches (once).
  void watch(Client& client, std::string_view key);
  // UNWATCH, EXEC, DISCARD, RESET and disconnect.
  void unwatch_all(Client& client);
  // Marks the transactions of every client watching `key` dirty.
  void touch(std::string_view key);
  // FLUSHALL/FLUSHDB: touches the watched keys for which `exists` is true.
  void touch_if(const std::function<bool(std::string_view)>& exists);
  bool empty() const { return watchers_.empty(); }

 private:
  // Lookup only: iteration order never reaches output (touch_if marks flags).
  std::unordered_map<std::string, std::vector<Client*>> watchers_;
};

}  // namespace ringcache::server
