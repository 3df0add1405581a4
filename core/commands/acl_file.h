#pragma once
// The aclfile at startup: the node loads its users from it before accepting clients
// (ACL LOAD and SAVE use the same file, commands/server/server_acl_log_file.cpp).

#include "core/server/server.h"
#include "core/util/status.h"

namespace ringcache::commands {

// Loads the aclfile (a path inside dir, relative to it, as the runtime's Disk reads) into the
// server's users; the error names the file and its bad lines. Suspends (reads the disk).
Status load_acl_file(server::Server& server);

}  // namespace ringcache::commands
