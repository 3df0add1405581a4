// The option table behind Config::set/get, and the redis.conf and command-line readers.

#include "core/server/config/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "core/server/config/config_options.h"
#include "core/protocol/ascii.h"
#include "core/protocol/split_args.h"
#include "core/util/glob.h"

namespace ringcache::server {
namespace {

const std::vector<Option>& options() {
  // Each group registers its options in its own file; the merged table is sorted by name, as
  // CONFIG GET lists them.
  static const std::vector<Option> options_table = [] {
    std::vector<Option> all;
    for (auto group : {general_options, encoding_options, persistence_options, pubsub_options,
                       cluster_options, replication_options, security_options,
                       client_limit_options, acl_options}) {
      std::vector<Option> options = group();
      all.insert(all.end(), options.begin(), options.end());
    }
    std::sort(all.begin(), all.end(),
              [](const Option& a, const Option& b) { return a.name < b.name; });
    return all;
  }();
  return options_table;
}

const Option* find_option(std::string_view name) {
  for (const auto& option : options()) {
    if (protocol::iequals(option.name, name)) return &option;
  }
  return nullptr;
}

}  // namespace

Status Config::set(std::string_view name, std::string_view value) {
  const Option* option = find_option(name);
  if (option == nullptr) {
    return Status(Errc::not_found,
                  fmt::format("Unknown option or number of arguments for CONFIG SET - '{}'", name));
  }
  Status status = option->set(*this, value);
  if (status) return status;
  return Status(status.code(), fmt::format("CONFIG SET failed (possibly related to argument "
                                           "'{}') - {}", option->name, status.message()));
}

std::optional<std::string> Config::get(std::string_view name) const {
  const Option* option = find_option(name);
  if (option == nullptr) return std::nullopt;
  return option->get(*this);
}

std::vector<std::pair<std::string, std::string>> Config::matching(std::string_view pattern) const {
  std::vector<std::pair<std::string, std::string>> found;
  for (const auto& option : options()) {  // the table is sorted by name
    const bool shown = option.hidden ? protocol::iequals(pattern, option.name)
                                     : util::glob_match(pattern, option.name, /*nocase=*/true);
    if (shown) {
      found.emplace_back(std::string(option.name), option.get(*this));
    }
  }
  return found;
}

bool Config::is_mutable(std::string_view name) {
  const Option* option = find_option(name);
  return option != nullptr && option->is_mutable;
}

namespace {

Status config_line_error(size_t line_number, std::string_view line, std::string_view reason) {
  return Status(Errc::invalid_argument,
                fmt::format("config file line {}: >>> '{}': {}", line_number, line, reason));
}

// Applies one directive (already split into words) from a file or the command line; returns
// the bare reason on failure.
Status apply_directive(Config& config, const std::vector<std::string>& words) {
  // "user alice on >pass ~k*": applied by the ACL once the node starts (Redis' user lines).
  // On the command line name and rules come as one argument ("--user 'app on >pw'"): split it.
  if (protocol::iequals(words[0], "user") && words.size() >= 2) {
    std::vector<std::string> rules;
    if (words.size() > 2 || !protocol::split_args(words[1], rules)) {
      rules.assign(words.begin() + 1, words.end());
    }
    config.acl_user_lines.push_back(std::move(rules));
    return Status::ok();
  }
  const Option* option = find_option(words[0]);
  const size_t values = words.size() - 1;
  if (option == nullptr || values == 0 || (values > 1 && !option->takes_many_words)) {
    // "save" alone is how a file or command line turns snapshots off.
    if (option == nullptr || !(values == 0 && option->name == "save")) {
      return Status(Errc::invalid_argument, "Bad directive or wrong number of arguments");
    }
  }
  std::string value;
  for (size_t i = 1; i < words.size(); ++i) {
    if (i > 1) value.push_back(' ');
    value += words[i];
  }
  return option->set(config, value);
}

}  // namespace

Result<Config> parse_config_text(std::string_view text, Config base) {
  size_t line_number = 0;
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    ++line_number;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    const size_t start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos || line[start] == '#') continue;
    line.remove_prefix(start);
    std::vector<std::string> words;
    if (!protocol::split_args(line, words)) {
      return config_line_error(line_number, line, "Unbalanced quotes in configuration line");
    }
    Status status = apply_directive(base, words);
    if (!status) return config_line_error(line_number, line, status.message());
  }
  return base;
}

Result<Config> apply_command_line(const std::vector<std::string>& args, Config base) {
  size_t i = 0;
  while (i < args.size()) {
    if (!args[i].starts_with("--") || args[i].size() == 2) {
      return Status(Errc::invalid_argument, fmt::format("Unexpected argument '{}'", args[i]));
    }
    std::vector<std::string> words{args[i].substr(2)};
    for (++i; i < args.size() && !args[i].starts_with("--"); ++i) words.push_back(args[i]);
    if (find_option(words[0]) == nullptr) {
      return Status(Errc::invalid_argument, fmt::format("Unknown option '{}'", words[0]));
    }
    Status status = apply_directive(base, words);
    if (!status) {
      return Status(Errc::invalid_argument,
                    fmt::format("Invalid option '--{}': {}", words[0], status.message()));
    }
  }
  return base;
}

}  // namespace ringcache::server
