// ACL rules as Redis 7.0's ACLSetUser/ACLSetSelector read them, and the description that gives
// them back (ACLDescribeUser: the command part is re-derived from the permission bits, category
// by category, then command by command, as 7.0 does).

#include "core/server/acl/rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "core/protocol/ascii.h"
#include "core/server/acl/categories.h"
#include "core/util/sha256.h"

namespace ringcache::server::acl {
namespace {

constexpr uint8_t all_access = key_reads | key_writes;
constexpr size_t password_hash_hex_digits = 64;

Status rule_error(std::string message) { return {Errc::invalid_argument, std::move(message)}; }
Status syntax_error() { return rule_error("Syntax error"); }
Status unknown_name() { return rule_error("Unknown command or category name in ACL"); }

Selector new_selector(const RuleContext& context) {
  Selector selector;
  selector.commands.assign(context.table.id_count(), false);
  selector.all_channels = context.all_channels_by_default;
  return selector;
}

// Allows or denies a command and, for a container, every subcommand (ACLChangeSelectorPerm).
void set_command(Selector& selector, const CommandSpec& spec, bool allow) {
  selector.commands[spec.id] = allow;
  selector.first_args.erase(spec.id);
  for (const CommandSpec& sub : spec.subcommands) selector.commands[sub.id] = allow;
}

void set_category(Selector& selector, const CommandTable& table, uint32_t bit, bool allow) {
  for (const CommandSpec* spec : table.all()) {
    if ((spec->category_bits & bit) != 0) set_command(selector, *spec, allow);
    for (const CommandSpec& sub : spec->subcommands) {
      if ((sub.category_bits & bit) != 0) set_command(selector, sub, allow);
    }
  }
}

void set_all_commands(Selector& selector, bool allow) {
  std::fill(selector.commands.begin(), selector.commands.end(), allow);
  selector.future_commands = allow;
  selector.first_args.clear();
}

// "get" or "config|get" (one level of subcommand at most); nullptr when unknown.
const CommandSpec* find_by_full_name(const CommandTable& table, std::string_view name) {
  const size_t bar = name.find('|');
  if (bar == std::string_view::npos) return table.find(name);
  const CommandSpec* parent = table.find(name.substr(0, bar));
  if (parent == nullptr) return nullptr;
  return table.find_subcommand(*parent, name.substr(bar + 1));
}

// "+name": a command, a subcommand (+config|get) or a first argument (+select|0).
Status allow_command(Selector& selector, std::string_view name, const CommandTable& table) {
  const size_t bar = name.rfind('|');
  if (bar == std::string_view::npos) {
    const CommandSpec* spec = table.find(name);
    if (spec == nullptr) return unknown_name();
    set_command(selector, *spec, true);
    return {};
  }
  const CommandSpec* parent = find_by_full_name(table, name.substr(0, bar));
  if (parent == nullptr) return unknown_name();
  if (parent->name.find('|') != std::string::npos) {
    return rule_error("Allowing first-arg of a subcommand is not supported");
  }
  const std::string_view first_arg = name.substr(bar + 1);
  if (first_arg.empty()) return syntax_error();
  if (!parent->subcommands.empty()) {
    const CommandSpec* sub = table.find_subcommand(*parent, first_arg);
    if (sub == nullptr) return unknown_name();
    set_command(selector, *sub, true);
    return {};
  }
  std::vector<std::string>& allowed = selector.first_args[parent->id];
  const bool known = std::any_of(allowed.begin(), allowed.end(), [&](const std::string& arg) {
    return protocol::iequals(arg, first_arg);
  });
  if (!known) allowed.emplace_back(first_arg);
  return {};
}

Status add_key_pattern(Selector& selector, std::string_view rule) {
  if (selector.all_keys) {
    return rule_error(
        "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not "
        "have any effect. Try 'resetkeys' to start with an empty list of patterns");
  }
  uint8_t access = all_access;
  size_t offset = 1;
  if (rule[0] == '%') {
    access = 0;
    for (;; ++offset) {
      if (offset == rule.size()) return syntax_error();
      const char c = protocol::to_upper(rule[offset]);
      if (c == 'R' && (access & key_reads) == 0) {
        access |= key_reads;
      } else if (c == 'W' && (access & key_writes) == 0) {
        access |= key_writes;
      } else if (rule[offset] == '~' && access != 0) {
        ++offset;
        break;
      } else {
        return syntax_error();
      }
    }
  }
  const std::string_view pattern = rule.substr(offset);
  if (pattern == "*" && access == all_access) {
    selector.all_keys = true;
    selector.keys.clear();
    return {};
  }
  auto same = std::find_if(selector.keys.begin(), selector.keys.end(),
                           [&](const KeyPattern& key) { return key.pattern == pattern; });
  if (same != selector.keys.end()) {
    same->access |= access;
  } else {
    selector.keys.push_back({std::string(pattern), access});
  }
  return {};
}

Status add_channel_pattern(Selector& selector, std::string_view pattern) {
  if (selector.all_channels) {
    return rule_error(
        "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does "
        "not have any effect. Try 'resetchannels' to start with an empty list of channels");
  }
  if (std::find(selector.channels.begin(), selector.channels.end(), pattern) ==
      selector.channels.end()) {
    selector.channels.emplace_back(pattern);
  }
  return {};
}

// The words that need no argument.
bool apply_selector_word(Selector& selector, std::string_view rule) {
  using protocol::iequals;
  if (iequals(rule, "allkeys") || rule == "~*") {
    selector.all_keys = true;
    selector.keys.clear();
  } else if (iequals(rule, "resetkeys")) {
    selector.all_keys = false;
    selector.keys.clear();
  } else if (iequals(rule, "allchannels") || rule == "&*") {
    selector.all_channels = true;
    selector.channels.clear();
  } else if (iequals(rule, "resetchannels")) {
    selector.all_channels = false;
    selector.channels.clear();
  } else if (iequals(rule, "allcommands") || iequals(rule, "+@all")) {
    set_all_commands(selector, true);
  } else if (iequals(rule, "nocommands") || iequals(rule, "-@all")) {
    set_all_commands(selector, false);
  } else {
    return false;
  }
  return true;
}

Status apply_selector_rule(Selector& selector, std::string_view rule, const CommandTable& table) {
  if (apply_selector_word(selector, rule)) return {};
  if (rule[0] == '~' || rule[0] == '%') return add_key_pattern(selector, rule);
  if (rule[0] == '&') return add_channel_pattern(selector, rule.substr(1));
  if ((rule[0] == '+' || rule[0] == '-') && rule.size() > 1 && rule[1] == '@') {
    const std::optional<uint32_t> bit = category_bit(rule.substr(2));
    if (!bit) return unknown_name();
    set_category(selector, table, *bit, rule[0] == '+');
    return {};
  }
  if (rule[0] == '+') return allow_command(selector, rule.substr(1), table);
  if (rule[0] == '-') {
    const CommandSpec* spec = find_by_full_name(table, rule.substr(1));
    if (spec == nullptr) return unknown_name();
    set_command(selector, *spec, false);
    return {};
  }
  return syntax_error();
}

bool valid_password_hash(std::string_view hash) {
  return hash.size() == password_hash_hex_digits &&
         std::all_of(hash.begin(), hash.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Status bad_hash() {
  return rule_error(
      "The password hash must be exactly 64 characters and contain only lowercase hexadecimal "
      "characters");
}

// >pass #hash <pass !hash.
Status apply_password_rule(User& user, std::string_view rule) {
  const bool plain = rule[0] == '>' || rule[0] == '<';
  std::string hash = plain ? sha256_hex(rule.substr(1)) : std::string(rule.substr(1));
  if (!plain && !valid_password_hash(hash)) return bad_hash();
  auto& hashes = user.password_hashes;
  auto found = std::find(hashes.begin(), hashes.end(), hash);
  if (rule[0] == '>' || rule[0] == '#') {
    if (found == hashes.end()) hashes.push_back(std::move(hash));
    user.nopass = false;
    return {};
  }
  if (found == hashes.end()) {
    return rule_error("The password you are trying to remove from the user does not exist");
  }
  hashes.erase(found);
  return {};
}

// "(~key +get)": a selector of its own, its rules split on spaces.
Status add_selector(User& user, std::string_view rule, const RuleContext& context) {
  Selector selector = new_selector(context);
  std::string_view inner = rule.substr(1, rule.size() - 2);
  while (!inner.empty()) {
    const size_t start = inner.find_first_not_of(" \t");
    if (start == std::string_view::npos) break;
    inner.remove_prefix(start);
    const size_t end = std::min(inner.find_first_of(" \t"), inner.size());
    if (Status status = apply_selector_rule(selector, inner.substr(0, end), context.table);
        !status) {
      return status;
    }
    inner.remove_prefix(end);
  }
  user.selectors.push_back(std::move(selector));
  return {};
}

void reset_user(User& user, const RuleContext& context) {
  user.password_hashes.clear();
  user.nopass = false;
  user.enabled = false;
  user.sanitize = User::Sanitize::sanitize;
  user.selectors.resize(1);
  Selector& root = user.root();
  root.all_keys = false;
  root.keys.clear();
  root.all_channels = context.all_channels_by_default;
  root.channels.clear();
  set_all_commands(root, false);
}

// The rules that are about the user rather than one selector; false when `rule` is not one.
bool apply_user_word(User& user, std::string_view rule, const RuleContext& context) {
  using protocol::iequals;
  if (iequals(rule, "on")) {
    user.enabled = true;
  } else if (iequals(rule, "off")) {
    user.enabled = false;
  } else if (iequals(rule, "skip-sanitize-payload")) {
    user.sanitize = User::Sanitize::skip;
  } else if (iequals(rule, "sanitize-payload")) {
    user.sanitize = User::Sanitize::sanitize;
  } else if (iequals(rule, "nopass")) {
    user.nopass = true;
    user.password_hashes.clear();
  } else if (iequals(rule, "resetpass")) {
    user.nopass = false;
    user.password_hashes.clear();
  } else if (iequals(rule, "clearselectors")) {
    user.selectors.resize(1);
  } else if (iequals(rule, "reset")) {
    reset_user(user, context);
  } else {
    return false;
  }
  return true;
}

Status apply_rule_unrefreshed(User& user, std::string_view rule, const RuleContext& context) {
  if (rule.empty()) return {};
  if (apply_user_word(user, rule, context)) return {};
  if (rule[0] == '>' || rule[0] == '#' || rule[0] == '<' || rule[0] == '!') {
    return apply_password_rule(user, rule);
  }
  if (rule.size() >= 2 && rule.front() == '(' && rule.back() == ')') {
    return add_selector(user, rule, context);
  }
  return apply_selector_rule(user.root(), rule, context.table);
}

// --- descriptions ---

// The commands of a category by their state: allowed in `selector`, and allowed in `fake`.
struct CategoryCount {
  size_t total = 0;
  size_t allowed = 0;        // in the selector described
  size_t already_right = 0;  // commands whose state `fake` already has as the selector does
};

CategoryCount count_category(const Selector& selector, const Selector& fake,
                             const CommandTable& table, uint32_t bit, bool additive) {
  CategoryCount count;
  auto tally = [&](const CommandSpec& spec) {
    if ((spec.category_bits & bit) == 0) return;
    ++count.total;
    count.allowed += selector.commands[spec.id] ? 1 : 0;
    count.already_right += fake.commands[spec.id] == additive ? 1 : 0;
  };
  for (const CommandSpec* spec : table.all()) {
    tally(*spec);
    for (const CommandSpec& sub : spec->subcommands) tally(sub);
  }
  return count;
}

// The categories, largest first (ACL CAT's order among equals): a category inside a larger one
// the selector allows whole (@admin in @dangerous) then adds nothing and is not named.
std::vector<size_t> categories_largest_first(const CommandTable& table) {
  const auto names = category_names();
  std::vector<size_t> sizes(names.size(), 0);
  auto tally = [&](const CommandSpec& spec) {
    for (size_t i = 0; i < names.size(); ++i) sizes[i] += (spec.category_bits >> i) & 1u;
  };
  for (const CommandSpec* spec : table.all()) {
    tally(*spec);
    for (const CommandSpec& sub : spec->subcommands) tally(sub);
  }
  std::vector<size_t> order(names.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return sizes[a] > sizes[b]; });
  return order;
}

// The single commands where `fake` (the rules so far) differs from `selector`, fixing `fake`.
void describe_single(const CommandSpec& spec, const Selector& selector, Selector& fake,
                     std::string& rules) {
  const bool allowed = selector.commands[spec.id];
  if (allowed != fake.commands[spec.id]) {
    fmt::format_to(std::back_inserter(rules), " {}{}", allowed ? '+' : '-', spec.name);
    set_command(fake, spec, allowed);
  }
  for (const CommandSpec& sub : spec.subcommands) describe_single(sub, selector, fake, rules);
  auto first_args = selector.first_args.find(spec.id);
  if (!allowed && first_args != selector.first_args.end()) {
    for (const std::string& arg : first_args->second) {
      fmt::format_to(std::back_inserter(rules), " +{}|{}", spec.name, arg);
    }
  }
}

std::string key_pattern_text(const KeyPattern& key) {
  if (key.access == all_access) return "~" + key.pattern;
  return (key.access == key_reads ? "%R~" : "%W~") + key.pattern;
}

// ACLDescribeSelector: keys, channels, commands, each pattern followed by a space.
std::string describe_selector(const Selector& selector, const CommandTable& table) {
  std::string text;
  if (selector.all_keys) {
    text += "~* ";
  } else {
    for (const KeyPattern& key : selector.keys) text += key_pattern_text(key) + " ";
  }
  if (selector.all_channels) {
    text += "&* ";
  } else {
    text += "resetchannels ";
    for (const std::string& channel : selector.channels) text += "&" + channel + " ";
  }
  return text + describe_commands(selector, table);
}

}  // namespace

User new_user(std::string name, const RuleContext& context) {
  User user;
  user.name = std::move(name);
  user.selectors.push_back(new_selector(context));
  refresh(user);
  return user;
}

User new_default_user(const RuleContext& context) {
  User user = new_user("default", context);
  for (std::string_view rule : {"+@all", "~*", "&*", "on", "nopass"}) {
    RING_ASSERT(apply_rule(user, rule, context).is_ok());
  }
  return user;
}

void refresh(User& user) {
  const Selector& root = user.root();
  user.unrestricted = root.all_keys && root.all_channels &&
                      std::all_of(root.commands.begin(), root.commands.end(),
                                  [](bool allowed) { return allowed; });
}

Status apply_rule(User& user, std::string_view rule, const RuleContext& context) {
  Status status = apply_rule_unrefreshed(user, rule, context);
  refresh(user);
  return status;
}

Status apply_rules(User& user, std::span<const std::string_view> rules,
                   const RuleContext& context) {
  // A selector may span several arguments: "(~a" "+get)" is "(~a +get)".
  std::vector<std::string> merged;
  std::optional<size_t> open;
  for (size_t i = 0; i < rules.size(); ++i) {
    const std::string_view rule = rules[i];
    if (open) {
      merged.back() += " ";
      merged.back() += rule;
      if (!rule.empty() && rule.back() == ')') open.reset();
      continue;
    }
    merged.emplace_back(rule);
    if (!rule.empty() && rule.front() == '(' && rule.back() != ')') open = i;
  }
  if (open) {
    return rule_error(fmt::format("ERR Unmatched parenthesis in acl selector starting at '{}'.",
                                  rules[*open]));
  }
  for (const std::string& rule : merged) {
    if (Status status = apply_rule(user, rule, context); !status) {
      return rule_error(fmt::format("ERR Error in ACL SETUSER modifier '{}': {}", rule,
                                    status.message()));
    }
  }
  return {};
}

bool valid_user_name(std::string_view name) {
  return name.find_first_of(std::string_view(" \0", 2)) == std::string_view::npos;
}

// From +@all (the selector also allows future commands) or -@all: each category the selector
// allows (denies) whole and that changes something, then the single commands that still differ.
// Redis 7.0 picks categories by counting its own table's commands, so its text can differ from
// this one for mixed selectors; both give back the same permissions when applied.
std::string describe_commands(const Selector& selector, const CommandTable& table) {
  const bool additive = !selector.future_commands;
  std::string rules = additive ? "-@all" : "+@all";
  Selector fake = selector;
  set_all_commands(fake, !additive);
  const auto names = category_names();
  for (const size_t i : categories_largest_first(table)) {
    const uint32_t bit = 1u << i;
    const CategoryCount count = count_category(selector, fake, table, bit, additive);
    const bool whole = additive ? count.allowed == count.total : count.allowed == 0;
    if (count.total == 0 || !whole || count.already_right == count.total) continue;
    set_category(fake, table, bit, additive);
    fmt::format_to(std::back_inserter(rules), " {}@{}", additive ? '+' : '-', names[i]);
  }
  for (const CommandSpec* spec : table.all()) describe_single(*spec, selector, fake, rules);
  return rules;
}

std::string describe_keys(const Selector& selector) {
  if (selector.all_keys) return "~*";
  std::string text;
  for (const KeyPattern& key : selector.keys) {
    if (!text.empty()) text += ' ';
    text += key_pattern_text(key);
  }
  return text;
}

std::string describe_channels(const Selector& selector) {
  if (selector.all_channels) return "&*";
  std::string text;
  for (const std::string& channel : selector.channels) {
    if (!text.empty()) text += ' ';
    text += "&" + channel;
  }
  return text;
}

std::vector<std::string_view> user_flags(const User& user) {
  std::vector<std::string_view> flags{user.enabled ? "on" : "off"};
  if (user.nopass) flags.push_back("nopass");
  if (user.sanitize == User::Sanitize::skip) flags.push_back("skip-sanitize-payload");
  if (user.sanitize == User::Sanitize::sanitize) flags.push_back("sanitize-payload");
  return flags;
}

std::string describe_user(const User& user, const CommandTable& table) {
  std::string text = "user " + user.name;
  for (std::string_view flag : user_flags(user)) fmt::format_to(std::back_inserter(text), " {}", flag);
  for (const std::string& hash : user.password_hashes) text += " #" + hash;
  text += " " + describe_selector(user.root(), table);
  for (size_t i = 1; i < user.selectors.size(); ++i) {
    text += " (" + describe_selector(user.selectors[i], table) + ")";
  }
  return text;
}

}  // namespace ringcache::server::acl
