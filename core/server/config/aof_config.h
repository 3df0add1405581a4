#pragma once
// The AOF's options (redis.conf names in config_options_persistence.cpp).

#include <cstdint>
#include <string>

#include "core/constants.h"

namespace ringcache::server {

enum class FsyncPolicy { always, everysec, no };

struct AofConfig {
  bool enabled = false;                         // appendonly
  FsyncPolicy fsync = FsyncPolicy::everysec;    // appendfsync
  std::string filename = "appendonly.aof";      // appendfilename: the files' common prefix
  std::string dirname = "appendonlydir";        // appenddirname, inside `dir`
  int64_t rewrite_percentage = 100;             // auto-aof-rewrite-percentage (0: off)
  int64_t rewrite_min_size = constants::aof_rewrite_min_size_default;  // auto-aof-rewrite-min-size
  bool load_truncated = true;                   // aof-load-truncated: load a torn tail's prefix
};

}  // namespace ringcache::server
