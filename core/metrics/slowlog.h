#pragma once
// The slow log (SLOWLOG): the latest commands that ran longer than slowlog-log-slower-than, newest
// first, as Redis 7.0 keeps them — arguments clipped to slowlog_entry_args_max and
// slowlog_entry_arg_bytes_max, secrets replaced by "(redacted)".

#include <cstdint>
#include <deque>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ringcache::metrics {

struct SlowLogEntry {
  uint64_t id = 0;
  int64_t unix_seconds = 0;  // when the command ran (wall clock)
  int64_t duration_us = 0;
  std::vector<std::string> args;
  std::string client_address;  // "ip:port"
  std::string client_name;
};

class SlowLog {
 public:
  // Adds an entry at the front (argv clipped; `redacted(i)` true replaces argument i), then
  // drops the oldest entries beyond max_len.
  void push(std::span<const std::string_view> argv, const std::function<bool(size_t)>& redacted,
            int64_t unix_seconds, int64_t duration_us, std::string_view client_address,
            std::string_view client_name, size_t max_len);
  // Newest first.
  const std::deque<SlowLogEntry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  // Empties the log; ids keep counting up, as in Redis.
  void reset() { entries_.clear(); }

 private:
  std::deque<SlowLogEntry> entries_;
  uint64_t next_id_ = 0;
};

}  // namespace ringcache::metrics
