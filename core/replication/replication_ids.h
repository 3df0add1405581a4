#pragma once
// Which history a replication stream belongs to, and whether a replica asking to resume one can.
//
// A history is named by a replication id (40 hex characters). When a replica is promoted it
// starts a new history but remembers the one it followed as its second id, valid up to the offset
// where it stopped following (second_offset), so the other replicas of the old primary can resume
// from it without a full sync (Redis' replid2 / second_repl_offset). The byte offsets themselves
// live in the Backlog.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/replication/backlog.h"
#include "core/util/rng.h"

namespace ringcache::replication {

struct ReplicationIds {
  std::string id;                          // master_replid
  std::string id2 = std::string(40, '0');  // master_replid2: none yet
  int64_t second_offset = -1;              // second_repl_offset: -1 while id2 is none

  // Starts a new history after `offset` (a promotion): the current id becomes the second one,
  // valid for offsets up to offset + 1 (the first byte the new history writes).
  void shift(std::string new_id, uint64_t offset);
  // Forgets the second id (a replica that took a full sync follows one history only).
  void clear_second();
};

// A fresh replication id from `rng`: 40 lowercase hex characters.
std::string new_replication_id(Rng& rng);

// Whether a PSYNC for `replid` resuming at `offset` (the first byte the replica lacks) can be
// served from `backlog` (partial) or needs a full sync, and why not, for the log.
struct PsyncDecision {
  bool partial = false;
  std::string reason;  // empty when partial
};
PsyncDecision decide_psync(const ReplicationIds& ids, const Backlog* backlog,
                           std::string_view replid, int64_t offset);

}  // namespace ringcache::replication
