#pragma once
// The one way the families build their registrations: a fluent builder over CommandSpec. A
// family states what its commands share once (group, ACL rule, usual keys) and derives each
// command from it:
//   const SpecBuilder strings = SpecBuilder::family("string", data_acl("@string"), one_key);
//   strings.command("get", 2, get_command).flags(read_fast).doc("Get the value of a key", "1.0.0")

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/commands/command.h"

namespace ringcache::commands {

// The flag sets and key positions most commands share (Redis' command flags, command.h).
inline constexpr uint32_t read_fast = flag_readonly | flag_fast;
inline constexpr uint32_t write_fast = flag_write | flag_fast;
inline constexpr uint32_t write_oom = flag_write | flag_denyoom;
inline constexpr uint32_t write_oom_fast = flag_write | flag_denyoom | flag_fast;
inline constexpr KeyRange no_keys{};
inline constexpr KeyRange one_key{1, 1, 1};
inline constexpr KeyRange two_keys{1, 2, 1};
inline constexpr KeyRange all_keys{1, -1, 1};

// The ACL categories of a data-type family, in Redis' order: "@write @hash @fast".
inline std::string data_acl(std::string_view type_category) {
  return "{access} " + std::string(type_category) + " {speed} {blocking}";
}

class SpecBuilder {
 public:
  // What a family's commands share; command() derives each command from it.
  static SpecBuilder family(std::string_view group, std::string_view acl, KeyRange keys = no_keys) {
    SpecBuilder builder;
    builder.spec_.group = group;
    builder.acl_ = acl;
    builder.spec_.keys = keys;
    return builder;
  }

  // One of the family's commands: lower-case `name` ("parent|sub" for a subcommand); `handler`
  // nullptr for a container of subcommands.
  SpecBuilder command(std::string_view name, int arity, Handler handler) const {
    SpecBuilder builder = *this;
    builder.spec_.name = name;
    builder.spec_.arity = arity;
    builder.spec_.handler = handler;
    return builder;
  }

  SpecBuilder& flags(uint32_t flags) {
    spec_.flags = flags;
    return *this;
  }
  SpecBuilder& keys(KeyRange keys) {
    spec_.keys = keys;
    return *this;
  }
  // Keys a function finds (movablekeys), beside any first/last/step range.
  SpecBuilder& key_finder(KeyFinder finder) {
    spec_.key_finder = finder;
    return *this;
  }
  // Whether a script may write, from the flags it declares (CommandSpec::script_may_write).
  SpecBuilder& script_may_write(std::optional<bool> (*finder)(server::Server&,
                                                              std::span<const std::string_view>)) {
    spec_.script_may_write = finder;
    return *this;
  }
  // The pub/sub channels the command names (ACL channel permissions).
  SpecBuilder& channels(ChannelArgs channels) {
    spec_.channels = channels;
    return *this;
  }
  // Redis' key-spec flags of every key (KeySpecFlag), where key_specs.cpp's table does not
  // hold the command: shard channels are not_key.
  SpecBuilder& key_flags(uint16_t flags) {
    spec_.key_flags = flags;
    return *this;
  }
  SpecBuilder& group(std::string_view group) {
    spec_.group = group;
    return *this;
  }
  // ACL categories as COMMAND INFO lists them. Placeholders follow the command's final flags:
  // "{access}" is @write or @read, "{speed}" @fast or @slow, "{blocking}" @blocking or nothing.
  SpecBuilder& acl(std::string_view categories) {
    acl_ = categories;
    return *this;
  }
  SpecBuilder& doc(std::string_view summary, std::string_view since) {
    spec_.summary = summary;
    spec_.since = since;
    return *this;
  }
  SpecBuilder& subcommands(std::vector<CommandSpec> subcommands) {
    spec_.subcommands = std::move(subcommands);
    return *this;
  }

  CommandSpec build() const;
  operator CommandSpec() const { return build(); }  // NOLINT: lists of specs read as tables

 private:
  CommandSpec spec_;
  std::string acl_;
};

// A command outside any family template: spec("ping", -1, ping_command).flags(...)...
inline SpecBuilder spec(std::string_view name, int arity, Handler handler) {
  return SpecBuilder().command(name, arity, handler);
}

// A container (CONFIG, CLIENT, OBJECT ...): dispatch picks one of its subcommands by argv[1].
inline SpecBuilder container(std::string_view name, std::string_view group) {
  return spec(name, -2, nullptr).acl("@slow").group(group);
}

}  // namespace ringcache::commands
