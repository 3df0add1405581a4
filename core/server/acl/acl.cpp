#include "core/server/acl/acl.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/protocol/split_args.h"
#include "core/util/sha256.h"

namespace ringcache::server::acl {
namespace {

// Compares every byte whatever the first difference, so timing does not tell how much of a
// password hash matched.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char difference = 0;
  for (size_t i = 0; i < a.size(); ++i) difference |= static_cast<unsigned char>(a[i] ^ b[i]);
  return difference == 0;
}

// Whether `hash` (SHA-256 hex) is one of the user's passwords, every one compared.
bool has_password_hash(const User& user, std::string_view hash) {
  bool matched = false;
  for (const std::string& known : user.password_hashes) matched |= same_secret(hash, known);
  return matched;
}

Status load_error(std::string message) { return {Errc::invalid_argument, std::move(message)}; }

}  // namespace

Acl::Acl(const CommandTable& table) : table_(table) {
  default_ = std::make_shared<User>(new_default_user(context()));
  users_.emplace(default_->name, default_);
}

std::shared_ptr<User> Acl::find(std::string_view name) const {
  auto found = users_.find(name);
  return found == users_.end() ? nullptr : found->second;
}

Status Acl::set_user(std::string_view name, std::span<const std::string_view> rules) {
  if (!valid_user_name(name)) {
    return load_error("ERR Usernames can't contain spaces or null characters");
  }
  std::shared_ptr<User> existing = find(name);
  User changed = existing ? *existing : new_user(std::string(name), context());
  if (Status status = apply_rules(changed, rules, context()); !status) return status;
  if (existing) {
    *existing = std::move(changed);
  } else {
    users_.emplace(std::string(name), std::make_shared<User>(std::move(changed)));
  }
  return {};
}

bool Acl::delete_user(std::string_view name) {
  RING_ASSERT_MSG(name != "default", "the caller refuses to delete the default user");
  auto found = users_.find(name);
  if (found == users_.end()) return false;
  users_.erase(found);
  return true;
}

void Acl::set_default_password(std::string_view password) {
  const std::string rule = password.empty() ? "nopass" : ">" + std::string(password);
  for (std::string_view step : {std::string_view("resetpass"), std::string_view(rule)}) {
    RING_ASSERT(apply_rule(*default_, step, context()).is_ok());
  }
}

std::shared_ptr<User> Acl::authenticate(std::string_view name, std::string_view password) const {
  std::shared_ptr<User> user = find(name);
  if (user == nullptr || !user->enabled) return nullptr;
  if (user->nopass) return user;
  return has_password_hash(*user, sha256_hex(password)) ? user : nullptr;
}

std::string Acl::token_owner(std::string_view token) const {
  const std::string hash = sha256_hex(token);
  std::string owner;
  for (const auto& [name, user] : users_) {
    if (!user->enabled || user->nopass || !has_password_hash(*user, hash)) continue;
    if (!owner.empty()) return {};  // shared: it names no one user
    owner = name;
  }
  return owner;
}

std::string Acl::file_text() const {
  std::string text;
  for (const auto& [name, user] : users_) text += describe_user(*user, table_) + "\n";
  return text;
}

Status Acl::build_users(const std::vector<std::vector<std::string>>& lines,
                        std::string_view source, const std::vector<size_t>& line_numbers,
                        UserMap& loaded) const {
  std::string errors;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::vector<std::string>& words = lines[i];
    const std::string where = fmt::format("{}:{}", source, line_numbers[i]);
    if (words.empty()) continue;
    const std::string& name = words[0];
    if (loaded.contains(name)) {
      errors += fmt::format("{}: Duplicate user '{}' found. ", where, name);
      continue;
    }
    if (!valid_user_name(name)) {
      errors += fmt::format("{}: Usernames can't contain spaces or null characters. ", where);
      continue;
    }
    User user = new_user(name, context());
    const std::vector<std::string_view> rules(words.begin() + 1, words.end());
    if (Status status = apply_rules(user, rules, context()); !status) {
      errors += fmt::format("{}: {}. ", where, status.message());
      continue;
    }
    loaded.emplace(name, std::make_shared<User>(std::move(user)));
  }
  if (errors.empty()) return {};
  return load_error(
      errors + "WARNING: ACL errors detected, no change to the previously active ACL rules was "
               "performed");
}

// The default user object stays the one clients hold: it takes the loaded one's rules (a fresh
// default user's when the file has none).
void Acl::install(UserMap loaded) {
  auto loaded_default = loaded.find("default");
  *default_ = loaded_default != loaded.end() ? *loaded_default->second
                                             : new_default_user(context());
  loaded["default"] = default_;
  users_ = std::move(loaded);
}

Status Acl::load_file_text(std::string_view text, std::string_view source) {
  std::vector<std::vector<std::string>> lines;
  std::vector<size_t> numbers;
  std::string errors;
  size_t number = 0;
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    ++number;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string> words;
    if (!protocol::split_args(line, words) || words.empty() || words[0] != "user" ||
        words.size() < 2) {
      errors += fmt::format("{}:{}: should start with user keyword followed by the username. ",
                            source, number);
      continue;
    }
    words.erase(words.begin());
    lines.push_back(std::move(words));
    numbers.push_back(number);
  }
  UserMap loaded;
  Status status = build_users(lines, source, numbers, loaded);
  if (!errors.empty()) {
    return load_error(errors + (status ? "WARNING: ACL errors detected, no change to the "
                                         "previously active ACL rules was performed"
                                       : status.message()));
  }
  if (!status) return status;
  install(std::move(loaded));
  return {};
}

Status Acl::load_lines(const std::vector<std::vector<std::string>>& lines) {
  std::vector<size_t> numbers(lines.size());
  for (size_t i = 0; i < numbers.size(); ++i) numbers[i] = i + 1;
  UserMap loaded;
  if (Status status = build_users(lines, "user", numbers, loaded); !status) return status;
  // Users from the config file join the default one (kept unless a line names it).
  if (!loaded.contains("default")) loaded.emplace("default", std::make_shared<User>(*default_));
  install(std::move(loaded));
  return {};
}

}  // namespace ringcache::server::acl
