#pragma once
// Startup: replays the files a manifest lists (base, then each incremental file) into the
// keyspace, record by record, through the command table — as a client flagged aof_loader, while
// the server is loading (no expiry, no eviction, nothing propagated, others get -LOADING).
//
// Damage (docs/aof-format.md): a record whose length or checksum is wrong is read again (a
// flipped bit in a read is not damage on disk), then classified:
//   * torn tail: the last file ends in it and no whole record follows it — what a crash leaves.
//     With aof-load-truncated yes the file is cut back to its last good record (logged with the
//     bytes dropped); with no, loading fails.
//   * damage before the tail: loading fails, naming the file and the offset.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/server/server.h"
#include "core/persistence/aof_manifest.h"
#include "core/protocol/reply_writer.h"
#include "core/runtime.h"

namespace ringcache::persistence {

// Runs one replayed command, the keyspace clock already set: the node passes
// commands::execute_preset. Persistence sits below the commands and reaches them only so.
using RunCommand = void (*)(server::Server& server, server::Client& client,
                            std::span<const std::string_view> argv, protocol::ReplyWriter& reply);

struct LoadReport {
  uint64_t records = 0;
  uint64_t commands = 0;
  uint64_t keys = 0;            // in the keyspace once loaded
  uint64_t bytes_dropped = 0;   // of a torn tail
  uint64_t last_file_bytes = 0; // good bytes in the last file (appends continue there)
  Nanos took{0};
};

// Suspending (yields between steps). Errors: data_loss-like io_error / invalid_argument with a
// message naming the file and offset of the damage, or the unknown command.
Result<LoadReport> load_aof(server::Server& server, RunCommand run, const std::string& dir,
                            const Manifest& manifest, bool load_truncated);

// Replays the records of one in-memory file image into `server` (the fuzz target's entry and
// the loader's core); stops at the first damage. Returns the offset after the last good record.
struct ImageOutcome {
  uint64_t good_bytes = 0;
  bool damaged = false;
  std::string error;  // set when a record was well framed but could not be replayed
};
ImageOutcome replay_image(server::Server& server, RunCommand run, std::string_view image);

}  // namespace ringcache::persistence
