#pragma once
// The node's ACL: its users (the default user always among them), logins, the refusal log and
// counters, and the users file's text form (ACL LOAD/SAVE, "user" lines). Commands change users
// through here; dispatch asks permissions.h with the user a client holds.

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/server/acl/acl_log.h"
#include "core/server/acl/rules.h"
#include "core/server/acl/user.h"
#include "core/server/command_table.h"
#include "core/util/status.h"

namespace ringcache::server::acl {

// INFO stats' acl_access_denied_* counters.
struct AclStats {
  uint64_t denied_auth = 0;
  uint64_t denied_cmd = 0;
  uint64_t denied_key = 0;
  uint64_t denied_channel = 0;
};

using UserMap = std::map<std::string, std::shared_ptr<User>, std::less<>>;

class Acl {
 public:
  explicit Acl(const CommandTable& table);

  RuleContext context() const { return {table_, all_channels_by_default_}; }
  void set_all_channels_by_default(bool all) { all_channels_by_default_ = all; }

  // Users by name (sorted, as ACL USERS and LIST show them). Clients hold the same objects, so a
  // change of a user reaches its clients at their next command.
  const UserMap& users() const { return users_; }
  std::shared_ptr<User> find(std::string_view name) const;
  const std::shared_ptr<User>& default_user() const { return default_; }
  // Whether new connections must AUTH first: the default user is off or has a password.
  bool auth_required() const { return !default_->enabled || !default_->nopass; }

  // ACL SETUSER: the rules applied to a copy of the user (a new one if unknown), which replaces
  // it only if every rule applied. The error is the reply's text.
  Status set_user(std::string_view name, std::span<const std::string_view> rules);
  // ACL DELUSER of one user (never the default one); false if unknown.
  bool delete_user(std::string_view name);
  // requirepass: the default user's only password (none: nopass).
  void set_default_password(std::string_view password);

  // The user `name` when `password` is one of its passwords (or it is nopass) and it is on;
  // null otherwise.
  std::shared_ptr<User> authenticate(std::string_view name, std::string_view password) const;
  // The HTTP API's Bearer tokens: the name of the one user that is on and has `token` among its
  // passwords (ACL SETUSER app >token); empty when none has, or when several share it.
  std::string token_owner(std::string_view token) const;

  // Users as "user ..." lines (ACL SAVE), and the reverse (ACL LOAD, config "user" lines): every
  // line must parse, or nothing changes. `source` prefixes the errors ("users.acl:3: ...").
  std::string file_text() const;
  Status load_file_text(std::string_view text, std::string_view source);
  // The config file's "user" lines, words after "user" (startup).
  Status load_lines(const std::vector<std::vector<std::string>>& lines);

  AclLog& log() { return log_; }
  AclStats& stats() { return stats_; }

 private:
  const CommandTable& table_;
  bool all_channels_by_default_ = false;
  UserMap users_;
  std::shared_ptr<User> default_;
  AclLog log_;
  AclStats stats_;

  // Builds users from lines of words (name, rules...) into `loaded`; the default user is kept
  // as it is unless a line names it.
  Status build_users(const std::vector<std::vector<std::string>>& lines, std::string_view source,
                     const std::vector<size_t>& line_numbers, UserMap& loaded) const;
  void install(UserMap loaded);
};

}  // namespace ringcache::server::acl
