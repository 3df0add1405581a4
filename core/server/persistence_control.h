#pragma once
// What commands see of the persistence machinery (core/persistence): BGREWRITEAOF and INFO's
// Persistence section. The node registers its implementation with the Server.

#include <string>
#include <utility>
#include <vector>

#include "core/util/status.h"

namespace ringcache::server {

class PersistenceControl {
 public:
  virtual ~PersistenceControl() = default;
  // BGREWRITEAOF: starts (or schedules) a rewrite; returns the status line to reply, or an error
  // in Redis' words.
  virtual Result<std::string> request_rewrite() = 0;
  // INFO persistence fields after "loading", in Redis' order.
  virtual std::vector<std::pair<std::string, std::string>> info_fields() const = 0;
};

}  // namespace ringcache::server
