#pragma once
// Timers ordered by (deadline, creation sequence): equal deadlines fire in creation order, so a
// simulation replays identically. Time is a plain nanosecond count on whatever clock the owning
// event loop uses (steady clock in production, true virtual time in the simulator).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <utility>

namespace ringcache::fiber {

class TimerQueue {
 public:
  using Key = std::pair<int64_t, uint64_t>;  // (deadline_ns, sequence)

  Key add(int64_t deadline_ns, std::function<void()> on_fire) {
    Key key{deadline_ns, next_sequence_++};
    timers_.emplace(key, std::move(on_fire));
    return key;
  }
  // Removes a timer that has not fired; a no-op for one that has.
  void cancel(const Key& key) { timers_.erase(key); }

  std::optional<int64_t> next_deadline() const {
    if (timers_.empty()) return std::nullopt;
    return timers_.begin()->first.first;
  }

  // Fires every timer due at or before now_ns, earliest first; a callback may add timers
  // (those due are fired too). Returns the count fired.
  size_t fire_due(int64_t now_ns) {
    size_t fired = 0;
    while (!timers_.empty() && timers_.begin()->first.first <= now_ns) {
      auto node = timers_.extract(timers_.begin());
      node.mapped()();
      ++fired;
    }
    return fired;
  }

  size_t size() const { return timers_.size(); }

 private:
  std::map<Key, std::function<void()>> timers_;
  uint64_t next_sequence_ = 0;
};

}  // namespace ringcache::fiber
