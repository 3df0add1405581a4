#pragma once
// The production Disk: POSIX files under one root directory (private to runtime/real).
//
// Calls block the event-loop thread; acceptable while the AOF is the only user (appends land in
// the page cache; fsync once a second), to be moved to a helper thread if it shows in latency.

#include <memory>
#include <string>

#include "core/runtime.h"

namespace ringcache::real {

std::unique_ptr<Disk> make_posix_disk(std::string root);

}  // namespace ringcache::real
