#include "core/replication/replication_ids.h"

#include <fmt/format.h>

#include "core/constants.h"

namespace ringcache::replication {

void ReplicationIds::shift(std::string new_id, uint64_t offset) {
  id2 = std::move(id);
  second_offset = static_cast<int64_t>(offset) + 1;
  id = std::move(new_id);
}

void ReplicationIds::clear_second() {
  id2 = std::string(constants::repl_id_chars, '0');
  second_offset = -1;
}

std::string new_replication_id(Rng& rng) {
  std::string id;
  while (id.size() < constants::repl_id_chars) id += fmt::format("{:016x}", rng.next_u64());
  id.resize(constants::repl_id_chars);
  return id;
}

PsyncDecision decide_psync(const ReplicationIds& ids, const Backlog* backlog,
                           std::string_view replid, int64_t offset) {
  // The current history, or the previous one up to where this node left it.
  const bool same_history = replid == ids.id;
  const bool previous_history =
      replid == ids.id2 && ids.second_offset >= 0 && offset <= ids.second_offset;
  if (!same_history && !previous_history) {
    return {false, fmt::format("replication id mismatch (asked {}, have {} and {} up to {})",
                               replid, ids.id, ids.id2, ids.second_offset)};
  }
  if (backlog == nullptr) return {false, "no backlog"};
  if (offset < 0 || !backlog->covers(static_cast<uint64_t>(offset))) {
    return {false, fmt::format("offset {} outside the backlog ({}..{})", offset,
                               backlog->first_offset(), backlog->end_offset() + 1)};
  }
  return {true, ""};
}

}  // namespace ringcache::replication
