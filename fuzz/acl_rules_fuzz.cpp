// libFuzzer target for the ACL rule parser: the input is a line of rules (split on spaces, as an
// aclfile line). It never crashes; whatever it accepts, described as ACL LIST does and read back,
// gives the same description and permissions.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/commands/command.h"
#include "core/server/acl/rules.h"

namespace {

namespace acl = ringcache::server::acl;

std::vector<std::string_view> split(std::string_view text) {
  std::vector<std::string_view> words;
  while (!text.empty()) {
    const size_t start = text.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    text.remove_prefix(start);
    const size_t end = std::min(text.find(' '), text.size());
    words.push_back(text.substr(0, end));
    text.remove_prefix(end);
  }
  return words;
}

// Splits an ACL LIST line after "user <name> ", keeping "(...)" selectors whole.
std::vector<std::string> list_words(std::string_view line) {
  std::vector<std::string> words;
  std::string current;
  int depth = 0;
  for (char c : line) {
    if (c == ' ' && depth == 0) {
      words.push_back(current);
      current.clear();
      continue;
    }
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    current.push_back(c);
  }
  words.push_back(current);
  return words;
}

bool plain(std::string_view pattern) { return pattern.find_first_of("()\t") == std::string_view::npos; }

bool plain_patterns(const acl::User& user) {
  for (const acl::Selector& selector : user.selectors) {
    for (const acl::KeyPattern& key : selector.keys) {
      if (!plain(key.pattern)) return false;
    }
    for (const std::string& channel : selector.channels) {
      if (!plain(channel)) return false;
    }
    for (const auto& [id, args] : selector.first_args) {
      for (const std::string& arg : args) {
        if (!plain(arg)) return false;
      }
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  static const ringcache::server::CommandTable table = ringcache::commands::build_command_table();
  const acl::RuleContext context{table, false};
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  if (text.find_first_of("\r\n") != std::string_view::npos) return 0;
  acl::User user = acl::new_user("u", context);
  if (!acl::apply_rules(user, split(text), context).is_ok()) return 0;
  const std::string line = acl::describe_user(user, table);
  // A pattern holding a parenthesis or a tab cannot be written back unambiguously (selectors are
  // split on them); Redis has the same limit.
  if (!plain_patterns(user)) return 0;
  const std::vector<std::string> words = list_words(line.substr(std::string("user u ").size()));
  acl::User again = acl::new_user("u", context);
  const std::vector<std::string_view> rules(words.begin(), words.end());
  if (!acl::apply_rules(again, rules, context).is_ok()) std::abort();
  if (acl::describe_user(again, table) != line) std::abort();
  for (size_t i = 0; i < user.selectors.size(); ++i) {
    if (again.selectors.at(i).commands != user.selectors[i].commands) std::abort();
  }
  return 0;
}
