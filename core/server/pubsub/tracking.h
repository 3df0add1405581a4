#pragma once
// Client-side caching (CLIENT TRACKING): which clients may hold which keys in their caches, and
// the invalidation messages sent when those keys change.
//
// Default mode: the keys a tracking client reads are remembered in a table of key -> client ids
// (bounded by tracking-table-max-keys; past it the oldest keys are invalidated and forgotten).
// A change to a key invalidates it for the clients in its entry, and forgets the entry.
// BCAST mode: a client registers key prefixes instead and hears of every change under them.
// Those changes are collected per prefix and sent by flush_broadcasts(), one message per prefix
// with every key changed since, as Redis sends them once per event-loop iteration: dispatch
// flushes after each command (EXEC as a whole), the cron after active expiry.
//
// Invalidations go to the tracking client (RESP3 push ["invalidate", [key]]) or to its REDIRECT
// client (RESP3 push, or for RESP2 a message on __redis__:invalidate it subscribed to). FLUSHALL
// sends a null key to every tracking client.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/server/clients/client.h"
#include "core/server/pubsub/push_delivery.h"

namespace ringcache::server {

inline constexpr std::string_view invalidate_channel = "__redis__:invalidate";

class Tracking {
 public:
  Tracking(const std::map<uint64_t, Client*>& clients, PushDelivery& delivery)
      : clients_(clients), delivery_(delivery) {}

  // CLIENT TRACKING ON has set client.tracking; registers its BCAST prefixes.
  void enabled(Client& client);
  // CLIENT TRACKING OFF, RESET, disconnect: clears client.tracking and its prefixes. Its ids
  // left in the key table are skipped when met, as Redis does.
  void disable(Client& client);

  // A read-only command of a default-mode client read `key`.
  void remember(Client& client, std::string_view key, int64_t table_keys_max);
  // Forgets the oldest keys past `table_keys_max` (0: no bound), each invalidated for its
  // readers: after each remember(), and from the cron once tracking-table-max-keys is lowered.
  void limit_keys(int64_t table_keys_max);
  // `key` changed (write, expiry, eviction); `modifier` is the client whose command changed it
  // (a NOLOOP tracker does not hear of its own changes), or null.
  void invalidate(std::string_view key, const Client* modifier);
  // FLUSHALL/FLUSHDB: a null invalidation to every tracking client; the table empties.
  void invalidate_all();
  // Sends the BCAST invalidations collected since the last flush.
  void flush_broadcasts() {
    if (!pending_broadcasts_.empty()) send_broadcasts();
  }

  // True when no client tracks anything: the write path skips invalidate().
  bool idle() const { return table_.empty() && prefixes_.empty(); }
  size_t table_keys() const { return table_.size(); }
  // INFO stats: (key, client) pairs remembered, and BCAST prefixes with a client.
  size_t table_items() const {
    size_t items = 0;
    for (const auto& [key, ids] : table_) items += ids.size();
    return items;
  }
  size_t prefix_count() const { return prefixes_.size(); }

 private:
  // Sends one invalidation of `keys` (a null key list for a flush) on behalf of `tracker`.
  void send(Client& tracker, std::optional<std::span<const std::string_view>> keys);
  void send_broadcasts();
  Client* find_client(uint64_t id) const;
  bool live_tracker(uint64_t id, Client*& client) const;

  const std::map<uint64_t, Client*>& clients_;
  PushDelivery& delivery_;
  // Default mode: key -> ids of clients that read it. Lookup only; sends go by ordered id sets.
  std::unordered_map<std::string, std::set<uint64_t>> table_;
  std::deque<std::string> insertion_order_;  // for evicting the oldest past the bound
  // BCAST: prefix -> ids of clients registered for it.
  std::map<std::string, std::set<uint64_t>, std::less<>> prefixes_;
  // BCAST changes not yet sent: prefix -> key -> id of the client that changed it (0: none, or
  // more than one), which a NOLOOP tracker skips when it is its own.
  std::map<std::string, std::map<std::string, uint64_t>, std::less<>> pending_broadcasts_;
};

}  // namespace ringcache::server
