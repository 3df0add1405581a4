#include "core/server/acl/permissions.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "core/protocol/ascii.h"
#include "core/util/glob.h"

namespace ringcache::server::acl {
namespace {

bool command_allowed(const Selector& selector, const CommandSpec& spec,
                     std::span<const std::string_view> argv) {
  if ((spec.flags & flag_no_auth) != 0 || selector.commands[spec.id]) return true;
  // A first argument allowed on its own (+select|0); a subcommand's is its argv[2].
  auto allowed = selector.first_args.find(spec.id);
  if (allowed == selector.first_args.end() || argv.size() < 2) return false;
  const std::string_view first = argv[spec.name.find('|') == std::string::npos ? 1 : 2];
  return std::any_of(allowed->second.begin(), allowed->second.end(),
                     [&](const std::string& arg) { return protocol::iequals(arg, first); });
}

// Whether `pattern` matches `key`. Most patterns start with a literal byte ("app:*"): a key that
// starts otherwise is told apart without the glob, which matters for users with many patterns.
bool key_matches(std::string_view pattern, std::string_view key) {
  if (!pattern.empty()) {
    const char first = pattern.front();
    const bool literal = first != '*' && first != '?' && first != '[' && first != '\\';
    if (literal && (key.empty() || key.front() != first)) return false;
  }
  return util::glob_match(pattern, key);
}

bool selector_key_allowed(const Selector& selector, std::string_view key, uint8_t access) {
  if (selector.all_keys) return true;
  return std::any_of(selector.keys.begin(), selector.keys.end(), [&](const KeyPattern& pattern) {
    return (pattern.access & access) == access && key_matches(pattern.pattern, key);
  });
}

// A pattern subscription is allowed only by the very same pattern; a channel by any that matches.
bool selector_channel_allowed(const Selector& selector, std::string_view channel, bool pattern) {
  if (selector.all_channels) return true;
  return std::any_of(selector.channels.begin(), selector.channels.end(),
                     [&](const std::string& allowed) {
                       return pattern ? allowed == channel : util::glob_match(allowed, channel);
                     });
}

// The first key the selector refuses, by its argv index. Keys in a first/last/step range are
// walked without building a list: this runs for every command of a restricted user.
std::optional<int> first_denied_key(const Selector& selector, const CommandSpec& spec,
                                    std::span<const std::string_view> argv) {
  auto denied = [&](int position, size_t index) {
    return !selector_key_allowed(selector, argv[static_cast<size_t>(position)],
                                 key_access_of(spec, argv, index));
  };
  if (spec.key_finder != nullptr) {
    const std::vector<int> positions = CommandTable::key_positions(spec, argv);
    for (size_t i = 0; i < positions.size(); ++i) {
      if (denied(positions[i], i)) return positions[i];
    }
    return std::nullopt;
  }
  const int argc = static_cast<int>(argv.size());
  const int last = spec.keys.last < 0 ? argc + spec.keys.last : spec.keys.last;
  size_t index = 0;
  for (int i = spec.keys.first; i <= last && i < argc && spec.keys.step > 0;
       i += spec.keys.step, ++index) {
    if (denied(i, index)) return i;
  }
  return std::nullopt;
}

Verdict check_selector(const Selector& selector, const CommandSpec& spec,
                       std::span<const std::string_view> argv) {
  if (!command_allowed(selector, spec, argv)) return {Denial::command, 0};
  if (!selector.all_keys && CommandTable::has_keys(spec)) {
    const std::optional<int> denied = first_denied_key(selector, spec, argv);
    if (denied) return {Denial::key, *denied};
  }
  if (!selector.all_channels && spec.channels != ChannelArgs::none) {
    const bool pattern = spec.channels == ChannelArgs::subscribed_patterns;
    const size_t last = spec.channels == ChannelArgs::published ? 1 : argv.size() - 1;
    for (size_t i = 1; i <= last && i < argv.size(); ++i) {
      if (!selector_channel_allowed(selector, argv[i], pattern)) {
        return {Denial::channel, static_cast<int>(i)};
      }
    }
  }
  return {};
}

}  // namespace

uint8_t key_access_of(const CommandSpec& spec, std::span<const std::string_view> argv,
                      size_t index) {
  const uint16_t flags = CommandTable::key_flags_of(spec, argv, index);
  uint8_t access = 0;
  if ((flags & ks_access) != 0) access |= key_reads;
  if ((flags & (ks_insert | ks_delete | ks_update)) != 0) access |= key_writes;
  return access;
}

Verdict check_command(const User& user, const CommandSpec& spec,
                      std::span<const std::string_view> argv) {
  if (user.unrestricted) return {};
  Verdict relevant{Denial::command, 0};
  for (const Selector& selector : user.selectors) {
    const Verdict verdict = check_selector(selector, spec, argv);
    if (verdict.allowed()) return verdict;
    if (verdict.denial > relevant.denial ||
        (verdict.denial == relevant.denial && verdict.argument > relevant.argument)) {
      relevant = verdict;
    }
  }
  return relevant;
}

bool may_read_any_key(const User& user, const CommandSpec& spec,
                      std::span<const std::string_view> argv) {
  if (user.unrestricted) return true;
  return std::any_of(user.selectors.begin(), user.selectors.end(), [&](const Selector& selector) {
    const bool any_key =
        selector.all_keys ||
        std::any_of(selector.keys.begin(), selector.keys.end(), [](const KeyPattern& key) {
          return key.pattern == "*" && (key.access & key_reads) != 0;
        });
    return any_key && check_selector(selector, spec, argv).allowed();
  });
}

bool key_allowed(const User& user, std::string_view key, uint8_t access) {
  return std::any_of(user.selectors.begin(), user.selectors.end(), [&](const Selector& selector) {
    return selector_key_allowed(selector, key, access);
  });
}

bool channel_allowed(const User& user, std::string_view channel, bool pattern) {
  return std::any_of(user.selectors.begin(), user.selectors.end(), [&](const Selector& selector) {
    return selector_channel_allowed(selector, channel, pattern);
  });
}

}  // namespace ringcache::server::acl
