#include "core/replication/snapshot.h"

#include "core/constants.h"
#include "core/persistence/aof_record.h"

namespace ringcache::replication {

std::string snapshot_end_record() {
  std::string record;
  persistence::append_record(record, std::string_view());
  return record;
}

Status SnapshotOutput::append(std::string_view data) {
  Status written = stream_.write(data);
  if (written) written_ += data.size();
  return written;
}

Result<size_t> SnapshotReader::feed(std::string_view bytes) {
  size_t taken = 0;
  while (!done_ && taken < bytes.size()) {
    // Complete the header first, then the payload it announces.
    size_t wanted = persistence::record_header_bytes;
    if (pending_.size() >= persistence::record_header_bytes) {
      const auto header = persistence::decode_header(pending_);
      if (header.payload_bytes > constants::aof_record_bytes_max) {
        return Status(Errc::corrupt, "snapshot record too large");
      }
      wanted += header.payload_bytes;
    }
    const size_t part = std::min(wanted - pending_.size(), bytes.size() - taken);
    pending_.append(bytes.substr(taken, part));
    taken += part;
    if (pending_.size() < wanted) continue;
    if (wanted == persistence::record_header_bytes && pending_.size() == wanted) {
      // A whole header: loop again to learn the payload's size (an empty one ends the snapshot).
      const auto header = persistence::decode_header(pending_);
      if (header.payload_bytes != 0) continue;
      if (!persistence::checksum_matches(header, "")) {
        return Status(Errc::corrupt, "snapshot end record damaged");
      }
      done_ = true;
      pending_.clear();
      break;
    }
    const auto header = persistence::decode_header(pending_);
    const std::string_view payload =
        std::string_view(pending_).substr(persistence::record_header_bytes);
    if (!persistence::checksum_matches(header, payload)) {
      return Status(Errc::corrupt, "snapshot record checksum mismatch");
    }
    const bool parsed = persistence::for_each_command(payload, [this](auto argv) {
      ++commands_;
      command_(argv);
    });
    if (!parsed) return Status(Errc::corrupt, "snapshot record holds no commands");
    pending_.clear();
  }
  return taken;
}

}  // namespace ringcache::replication
