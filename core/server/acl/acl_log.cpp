#include "core/server/acl/acl_log.h"

#include <algorithm>

#include "core/constants.h"

namespace ringcache::server::acl {

void AclLog::add(LogEntry entry, size_t max_entries) {
  auto similar = std::find_if(entries_.begin(), entries_.end(), [&](const LogEntry& old) {
    return old.reason == entry.reason && old.context == entry.context &&
           old.object == entry.object && old.username == entry.username &&
           entry.updated_ms - old.updated_ms < constants::acl_log_grouping_window_ms;
  });
  if (similar != entries_.end()) {
    entry.count = similar->count + 1;
    entries_.erase(similar);
  }
  entries_.push_front(std::move(entry));
  while (entries_.size() > max_entries) entries_.pop_back();
}

}  // namespace ringcache::server::acl
