#include "core/server/clients/blocking.h"

#include <algorithm>

#include "core/util/assert.h"

namespace ringcache::server {
namespace {

// Takes a waiter out of the registry when block() is left in any way, including the simulator
// unwinding a crashed node's fiber, so no queue keeps a pointer to a dead stack frame.
class Unregister {
 public:
  explicit Unregister(std::function<void()> undo) : undo_(std::move(undo)) {}
  ~Unregister() { undo_(); }
  Unregister(const Unregister&) = delete;
  Unregister& operator=(const Unregister&) = delete;

 private:
  std::function<void()> undo_;
};

}  // namespace

WaitEnd BlockedClients::block(Client& client, std::span<const std::string_view> keys,
                              std::optional<Instant> deadline, ServeFunction serve) {
  RING_ASSERT_MSG(!keys.empty(), "a client blocks on at least one key");
  Waiter waiter;
  waiter.serve = std::move(serve);
  for (std::string_view key : keys) {
    // A key named twice is waited on once, as Redis adds it to the client's keys only once.
    if (std::find(waiter.keys.begin(), waiter.keys.end(), key) != waiter.keys.end()) continue;
    waiter.keys.emplace_back(key);
  }
  return wait(client, waiter, deadline);
}

WaitEnd BlockedClients::postpone(Client& client, Instant until) {
  Waiter waiter;
  waiter.postponed = true;
  return wait(client, waiter, until);
}

void BlockedClients::wake_postponed() {
  std::vector<Waiter*> postponed;
  for (const auto& [id, waiter] : waiters_) {
    if (waiter->postponed) postponed.push_back(waiter);
  }
  for (Waiter* waiter : postponed) finish(*waiter, WaitEnd::timed_out);
}

WaitEnd BlockedClients::wait_for_wake(Client& client, std::optional<Instant> deadline) {
  Waiter waiter;
  return wait(client, waiter, deadline);
}

void BlockedClients::wake(uint64_t client_id) {
  const auto found = waiters_.find(client_id);
  if (found == waiters_.end() || found->second->postponed || !found->second->keys.empty()) return;
  finish(*found->second, WaitEnd::served);
}

WaitEnd BlockedClients::wait(Client& client, Waiter& waiter, std::optional<Instant> deadline) {
  RING_ASSERT_MSG(!is_blocked(client.id), "a client blocks once at a time");
  waiter.client_id = client.id;
  waiter.wake = runtime_.make_wait_queue();
  for (const std::string& key : waiter.keys) waiters_by_key_[key].push_back(&waiter);
  waiters_[client.id] = &waiter;
  // Leaving without an ending (the simulator unwinding a crashed node) only unregisters: a
  // wake-up would be a runtime call, which throws on a crashed node.
  Unregister unregister([&] {
    if (!waiter.end) remove(waiter);
  });
  if (client.on_block) client.on_block();
  while (!waiter.end) {
    const bool woken = waiter.wake->wait_until(deadline);
    // A waiter served between its deadline and its fiber running keeps what it was served.
    if (!woken && !waiter.end) finish(waiter, WaitEnd::timed_out);
  }
  return *waiter.end;
}

bool BlockedClients::unblock(uint64_t client_id, WaitEnd why) {
  RING_ASSERT(why != WaitEnd::served);
  const auto found = waiters_.find(client_id);
  if (found == waiters_.end()) return false;
  if (found->second->postponed && why != WaitEnd::disconnected) return false;
  finish(*found->second, why);
  return true;
}

void BlockedClients::finish(Waiter& waiter, WaitEnd why) {
  RING_ASSERT(!waiter.end);
  remove(waiter);
  waiter.end = why;
  waiter.wake->notify_all();
}

void BlockedClients::remove(Waiter& waiter) {
  waiters_.erase(waiter.client_id);
  for (const std::string& key : waiter.keys) {
    const auto queue = waiters_by_key_.find(key);
    RING_ASSERT(queue != waiters_by_key_.end());
    queue->second.remove(&waiter);
    if (queue->second.empty()) waiters_by_key_.erase(queue);
  }
}

void BlockedClients::signal_waited_key(std::string_view key) {
  const std::string name(key);
  if (waiters_by_key_.count(name) == 0 || ready_set_.count(name) != 0) return;
  ready_set_.insert(name);
  ready_keys_.push_back(name);
}

void BlockedClients::serve_all_ready() {
  // Serving may make more keys ready (BLMOVE pushes): keep going until none is left.
  while (!ready_keys_.empty()) {
    std::vector<std::string> keys;
    keys.swap(ready_keys_);
    ready_set_.clear();
    for (const std::string& key : keys) serve_key(key);
  }
}

void BlockedClients::serve_key(const std::string& key) {
  const auto queue = waiters_by_key_.find(key);
  if (queue == waiters_by_key_.end()) return;
  // The queue changes as waiters are served: walk a copy of who waited, in blocking order.
  std::vector<uint64_t> order;
  order.reserve(queue->second.size());
  for (const Waiter* waiter : queue->second) order.push_back(waiter->client_id);
  for (uint64_t client_id : order) {
    const auto found = waiters_.find(client_id);
    if (found == waiters_.end()) continue;
    Waiter& waiter = *found->second;
    const ServeResult result = waiter.serve(key);
    if (result == ServeResult::exhausted) break;
    if (result == ServeResult::served) {
      finish(waiter, WaitEnd::served);
      if (on_served_) on_served_();
    }
  }
}

}  // namespace ringcache::server
