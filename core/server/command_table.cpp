// The command table: registration, case-insensitive lookup, key positions, flag names.

#include <algorithm>

#include "core/server/command_table.h"
#include "core/server/acl/categories.h"
#include "core/util/assert.h"
#include "core/protocol/ascii.h"

namespace ringcache::server {

std::vector<std::string_view> flag_names(uint32_t flags) {
  // Redis 7.0 lists flags in this order and hides may_replicate from COMMAND INFO.
  static constexpr std::pair<uint32_t, std::string_view> names_in_order[] = {
      {flag_write, "write"},       {flag_readonly, "readonly"},
      {flag_denyoom, "denyoom"},   {flag_admin, "admin"},
      {flag_pubsub, "pubsub"},     {flag_noscript, "noscript"},
      {flag_blocking, "blocking"}, {flag_loading, "loading"},
      {flag_stale, "stale"},       {flag_skip_monitor, "skip_monitor"},
      {flag_skip_slowlog, "skip_slowlog"}, {flag_fast, "fast"},
      {flag_no_auth, "no_auth"},   {flag_no_mandatory_keys, "no_mandatory_keys"},
      {flag_no_multi, "no_multi"},
      {flag_movablekeys, "movablekeys"}, {flag_allow_busy, "allow_busy"},
  };
  std::vector<std::string_view> names;
  for (const auto& [flag, name] : names_in_order) {
    if (flags & flag) names.push_back(name);
  }
  return names;
}

std::vector<std::string_view> key_spec_flag_names(uint16_t flags) {
  static constexpr std::pair<uint16_t, std::string_view> names_in_order[] = {
      {ks_ro, "RO"},         {ks_rw, "RW"},         {ks_ow, "OW"},
      {ks_rm, "RM"},         {ks_access, "access"}, {ks_update, "update"},
      {ks_insert, "insert"}, {ks_delete, "delete"}, {ks_not_key, "not_key"},
      {ks_incomplete, "incomplete"}, {ks_variable_flags, "variable_flags"},
  };
  std::vector<std::string_view> names;
  for (const auto& [flag, name] : names_in_order) {
    if (flags & flag) names.push_back(name);
  }
  return names;
}

void CommandTable::add(CommandSpec spec) {
  RING_ASSERT_MSG(!spec.name.empty(), "a command needs a name");
  RING_ASSERT_MSG(spec.arity != 0, "arity 0 is not a valid arity");
  RING_ASSERT_MSG(spec.handler != nullptr || !spec.subcommands.empty(),
                "a command has a handler or subcommands");
  RING_ASSERT_MSG(find(spec.name) == nullptr, "command registered twice");
  RING_ASSERT_MSG(spec.handler != nullptr || spec.arity <= -2, "a container takes a subcommand");
  for (const auto& sub : spec.subcommands) {
    RING_ASSERT_MSG(sub.handler != nullptr, "a subcommand needs a handler");
    RING_ASSERT_MSG(sub.name.starts_with(spec.name + "|"), "subcommand names are 'parent|sub'");
  }
  protocol::lower_in_place(spec.name);
  spec.id = next_id_++;
  spec.category_bits = acl::category_bits(spec.acl_categories);
  for (auto& sub : spec.subcommands) {
    sub.id = next_id_++;
    sub.category_bits = acl::category_bits(sub.acl_categories);
  }
  specs_.push_back(std::make_unique<CommandSpec>(std::move(spec)));
  const CommandSpec* added = specs_.back().get();
  by_name_.emplace(added->name, added);
  auto position = std::lower_bound(
      sorted_.begin(), sorted_.end(), added,
      [](const CommandSpec* a, const CommandSpec* b) { return a->name < b->name; });
  sorted_.insert(position, added);
}

const CommandSpec* CommandTable::find(std::string_view name) const {
  auto found = by_name_.find(name);
  return found == by_name_.end() ? nullptr : found->second;
}

const CommandSpec* CommandTable::find_subcommand(const CommandSpec& parent,
                                                 std::string_view name) const {
  for (const auto& sub : parent.subcommands) {
    std::string_view sub_name = std::string_view(sub.name).substr(parent.name.size() + 1);
    if (protocol::iequals(sub_name, name)) return &sub;
  }
  return nullptr;
}

std::vector<int> CommandTable::key_positions(const CommandSpec& spec,
                                             std::span<const std::string_view> argv) {
  if (spec.key_finder != nullptr) return spec.key_finder(argv);
  std::vector<int> positions;
  const int argc = static_cast<int>(argv.size());
  if (spec.keys.first <= 0 || spec.keys.step <= 0) return positions;
  const int last = spec.keys.last < 0 ? argc + spec.keys.last : spec.keys.last;
  for (int i = spec.keys.first; i <= last && i < argc; i += spec.keys.step) {
    positions.push_back(i);
  }
  return positions;
}

bool CommandTable::has_keys(const CommandSpec& spec) {
  return (spec.keys.first > 0 || spec.key_finder != nullptr) && (spec.key_flags & ks_not_key) == 0;
}

uint16_t CommandTable::declared_key_flags(const CommandSpec& spec) {
  if (spec.key_flags != 0) return spec.key_flags;
  return (spec.flags & flag_write) != 0 ? ks_rw | ks_update : ks_ro | ks_access;
}

uint16_t CommandTable::key_flags_of(const CommandSpec& spec, std::span<const std::string_view> argv,
                                    size_t index) {
  if (spec.key_flags_finder != nullptr) return spec.key_flags_finder(argv);
  if (index > 0 && spec.other_key_flags != 0) return spec.other_key_flags;
  return declared_key_flags(spec);
}

}  // namespace ringcache::server
