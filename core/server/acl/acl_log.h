#pragma once
// ACL LOG: the recent refusals (denied commands, keys, channels) and failed logins, newest first.
// A refusal like a recent one (same reason, context, object and user within a minute) counts
// into that entry instead of adding one, as Redis groups them.

#include <cstdint>
#include <deque>
#include <string>

namespace ringcache::server::acl {

struct LogEntry {
  uint64_t count = 1;
  std::string reason;    // "command", "key", "channel", "auth"
  std::string context;   // "toplevel", "multi", "lua"
  std::string object;    // the command, key or channel refused; "AUTH" for a login
  std::string username;
  int64_t updated_ms = 0;  // wall clock of the latest occurrence (age-seconds)
  std::string client_info;  // the client's CLIENT LIST line
};

class AclLog {
 public:
  void add(LogEntry entry, size_t max_entries);
  void reset() { entries_.clear(); }
  const std::deque<LogEntry>& entries() const { return entries_; }

 private:
  std::deque<LogEntry> entries_;
};

}  // namespace ringcache::server::acl
