#include "core/server/clients/watched_keys.h"

#include <algorithm>

#include "core/util/assert.h"

namespace ringcache::server {

void WatchedKeys::watch(Client& client, std::string_view key) {
  for (const std::string& watched : client.watched) {
    if (watched == key) return;
  }
  client.watched.emplace_back(key);
  watchers_[std::string(key)].push_back(&client);
}

void WatchedKeys::unwatch_all(Client& client) {
  for (const std::string& key : client.watched) {
    const auto it = watchers_.find(key);
    RING_ASSERT_MSG(it != watchers_.end(), "a watched key is registered");
    std::vector<Client*>& clients = it->second;
    clients.erase(std::remove(clients.begin(), clients.end(), &client), clients.end());
    if (clients.empty()) watchers_.erase(it);
  }
  client.watched.clear();
}

void WatchedKeys::touch(std::string_view key) {
  const auto it = watchers_.find(std::string(key));
  if (it == watchers_.end()) return;
  for (Client* client : it->second) client->watch_dirty = true;
}

void WatchedKeys::touch_if(const std::function<bool(std::string_view)>& exists) {
  for (const auto& [key, clients] : watchers_) {
    if (!exists(key)) continue;
    for (Client* client : clients) client->watch_dirty = true;
  }
}

}  // namespace ringcache::server
