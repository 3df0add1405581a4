#pragma once
// The production Disk: POSIX files under one root directory (private to runtime/real).
//
// fsync (of files and directories) runs through the Offload, so it parks only the calling fiber;
// the other calls are short (appends land in the page cache) and run on the loop thread.

#include <memory>
#include <string>

#include "core/runtime.h"
#include "runtime/real/offload.h"

namespace ringcache::real {

std::unique_ptr<Disk> make_posix_disk(std::string root, Offload& offload);

}  // namespace ringcache::real
