#pragma once
// The replica side: whom the node follows, how its link stands, and how to read the primary's
// answer to PSYNC. The link itself (connect, handshake, read loop) is a fiber of the node
// (core/node/replica_link.cpp); this is what it and INFO share.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/runtime.h"

namespace ringcache::replication {

enum class LinkState {
  connecting,  // waiting to (re)connect, or connecting
  handshake,   // PING, AUTH, REPLCONF, PSYNC
  syncing,     // receiving the full sync's snapshot
  connected,   // following the stream
};

struct ReplicaState {
  std::string primary_host;
  uint16_t primary_port = 0;
  LinkState link = LinkState::connecting;
  // Bumped by every REPLICAOF, so a link fiber working for an older one stops.
  uint64_t generation = 0;
  Instant last_io{};                  // the last bytes from the primary
  std::optional<Instant> down_since;  // when the link went down (master_link_down_since)
  uint64_t snapshot_bytes = 0;        // received during the current full sync
  // Closes the link's stream at once (set by the link fiber while it has one).
  std::function<void()> close_link;
};

// The primary's answer to PSYNC, one line without its CRLF.
struct PsyncReply {
  enum class Kind { full, partial, error };
  Kind kind = Kind::error;
  std::string replid;   // full: the history; partial: the primary's id if it changed, else ""
  uint64_t offset = 0;  // full: the stream offset the snapshot is taken at
  std::string error;    // error: the line
};
PsyncReply parse_psync_reply(std::string_view line);

}  // namespace ringcache::replication
