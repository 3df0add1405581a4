#pragma once
// The manifest of the multi-part AOF (as Redis 7): which base file and which incremental files,
// in order, make up the dataset. One line per file, in Redis 7's words:
//   file appendonly.aof.2.base.aof seq 2 type b
//   file appendonly.aof.3.incr.aof seq 3 type i
//   # crc32c 1b2c3d4e
// It is replaced atomically (write a temp file, fsync, rename, fsync the directory), so a crash
// leaves either the old list or the new one.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/runtime.h"

namespace ringcache::persistence {

struct AofFile {
  std::string name;  // inside the AOF directory
  int64_t seq = 0;
};

struct Manifest {
  std::optional<AofFile> base;
  std::vector<AofFile> incrs;  // replayed in this order, after the base

  // Sequence numbers for the next files, one above the highest in use.
  int64_t next_base_seq() const { return base ? base->seq + 1 : 1; }
  int64_t next_incr_seq() const { return incrs.empty() ? 1 : incrs.back().seq + 1; }
  // Every file, base first.
  std::vector<std::string> file_names() const;
};

std::string base_file_name(std::string_view prefix, int64_t seq);
std::string incr_file_name(std::string_view prefix, int64_t seq);
std::string manifest_file_name(std::string_view prefix);

// The manifest's text, ending in a "# crc32c <hex>" line over the lines before it (Redis skips
// '#' lines; a manifest without it is accepted).
std::string serialize_manifest(const Manifest& manifest);
// Just the file lines.
std::string serialize_manifest_lines(const Manifest& manifest);
// Errors: invalid_argument naming the line that is wrong.
Result<Manifest> parse_manifest(std::string_view text);

// Reads `dir`/<prefix>.manifest; not_found when there is none.
Result<Manifest> read_manifest(Disk& disk, const std::string& dir, std::string_view prefix);
// Suspending. Replaces the manifest atomically and durably.
Status write_manifest(Disk& disk, const std::string& dir, std::string_view prefix,
                      const Manifest& manifest);

}  // namespace ringcache::persistence
