#pragma once
// Where a replica stood when it shut down cleanly: its primary's replication id and the offset
// its data (the AOF) reaches, in a small file of the data directory. A replica restarted on the
// same AOF reads it back and asks its primary for a partial resync from there instead of a full
// sync, as Redis does with the replication id and offset it keeps in its RDB file.
//
// The file is removed as soon as it is read: after a crash (no clean shutdown) the AOF may end
// anywhere, so no resume point is trusted and the replica takes a full sync.

#include <cstdint>
#include <optional>
#include <string>

#include "core/runtime.h"

namespace ringcache::replication {

struct ResumePoint {
  std::string replid;
  uint64_t offset = 0;
  bool operator==(const ResumePoint&) const = default;
};

inline constexpr const char* resume_point_file = "replication-resume-point";

// The file's text, and its parser (nullopt for anything else, e.g. a torn write).
std::string encode_resume_point(const ResumePoint& point);
std::optional<ResumePoint> decode_resume_point(std::string_view text);

// Suspending. Writes the file atomically (temp file, fsync, rename, directory fsync).
Status save_resume_point(Disk& disk, const ResumePoint& point);
// Suspending. Reads the file if there is one and removes it.
std::optional<ResumePoint> take_resume_point(Disk& disk);

}  // namespace ringcache::replication
