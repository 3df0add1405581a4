#include "core/commands/spec_builder.h"

#include <algorithm>

#include "core/commands/key_specs.h"
#include "core/util/assert.h"

namespace ringcache::commands {
namespace {

// One ACL token: a placeholder becomes what the flags say (possibly nothing), a category stays.
std::string_view expand(std::string_view token, uint32_t flags) {
  if (token == "{access}") return (flags & flag_write) != 0 ? "@write" : "@read";
  if (token == "{speed}") return (flags & flag_fast) != 0 ? "@fast" : "@slow";
  if (token == "{blocking}") return (flags & flag_blocking) != 0 ? "@blocking" : "";
  return token;
}

}  // namespace

CommandSpec SpecBuilder::build() const {
  RING_ASSERT_MSG(!spec_.name.empty(), "command() names the command");
  CommandSpec spec = spec_;
  if (spec.key_finder != nullptr) spec.flags |= flag_movablekeys;
  if (spec.key_flags == 0) {
    const RedisKeySpecs specs = redis_key_specs(spec.name);
    spec.key_flags = specs.first;
    spec.other_key_flags = specs.others;
    spec.key_flags_finder = specs.finder;
  }
  std::string_view rest = acl_;
  while (!rest.empty()) {
    const size_t end = std::min(rest.find(' '), rest.size());
    const std::string_view category = expand(rest.substr(0, end), spec.flags);
    if (!category.empty()) {
      if (!spec.acl_categories.empty()) spec.acl_categories += ' ';
      spec.acl_categories += category;
    }
    rest.remove_prefix(std::min(end + 1, rest.size()));
  }
  return spec;
}

}  // namespace ringcache::commands
