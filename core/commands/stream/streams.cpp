// The stream family's registrations (Redis 7.0's command table entries for the X commands).

#include "core/commands/spec_builder.h"
#include "core/commands/stream/stream_family.h"

namespace ringcache::commands {
namespace {

using namespace stream;  // NOLINT: the handlers

CommandSpec xgroup_spec(const SpecBuilder& family) {
  SpecBuilder sub = family;
  sub.keys({2, 2, 1});
  return container("xgroup", "stream")
      .doc("A container for consumer groups commands", "5.0.0")
      .subcommands({
          sub.command("xgroup|create", -5, xgroup_create_command)
              .flags(write_oom)
              .doc("Create a consumer group.", "5.0.0"),
          sub.command("xgroup|setid", -5, xgroup_setid_command)
              .flags(flag_write)
              .doc("Set a consumer group to an arbitrary last delivered ID value.", "5.0.0"),
          sub.command("xgroup|destroy", 4, xgroup_destroy_command)
              .flags(flag_write)
              .doc("Destroy a consumer group.", "5.0.0"),
          sub.command("xgroup|createconsumer", 5, xgroup_createconsumer_command)
              .flags(write_oom)
              .doc("Create a consumer in a consumer group.", "6.2.0"),
          sub.command("xgroup|delconsumer", 5, xgroup_delconsumer_command)
              .flags(flag_write)
              .doc("Delete a consumer from a consumer group.", "5.0.0"),
          sub.command("xgroup|help", 2, xgroup_help_command)
              .flags(flag_loading | flag_stale)
              .keys(no_keys)
              .acl("@stream {speed}")
              .doc("Show helpful text about the different subcommands", "5.0.0"),
      });
}

CommandSpec xinfo_spec(const SpecBuilder& family) {
  SpecBuilder sub = family;
  sub.keys({2, 2, 1});
  return container("xinfo", "stream")
      .doc("A container for stream introspection commands", "5.0.0")
      .subcommands({
          sub.command("xinfo|stream", -3, xinfo_stream_command)
              .flags(flag_readonly)
              .doc("Get information about a stream", "5.0.0"),
          sub.command("xinfo|groups", 3, xinfo_groups_command)
              .flags(flag_readonly)
              .doc("List the consumer groups of a stream", "5.0.0"),
          sub.command("xinfo|consumers", 4, xinfo_consumers_command)
              .flags(flag_readonly)
              .doc("List the consumers in a consumer group", "5.0.0"),
          sub.command("xinfo|help", 2, xinfo_help_command)
              .flags(flag_loading | flag_stale)
              .keys(no_keys)
              .acl("@stream {speed}")
              .doc("Show helpful text about the different subcommands", "5.0.0"),
      });
}

}  // namespace

void register_stream_commands(CommandTable& table) {
  const SpecBuilder family = SpecBuilder::family("stream", data_acl("@stream"), one_key);
  const CommandSpec specs[] = {
      family.command("xadd", -5, xadd_command)
          .flags(write_oom_fast)
          .doc("Appends a new entry to a stream", "5.0.0"),
      family.command("xtrim", -4, xtrim_command)
          .flags(flag_write)
          .doc("Trims the stream to (approximately if '~' is passed) a certain size", "5.0.0"),
      family.command("xdel", -3, xdel_command)
          .flags(write_fast)
          .doc("Removes the specified entries from the stream. Returns the number of items "
               "actually deleted, that may be different from the number of IDs passed in case "
               "certain IDs do not exist.",
               "5.0.0"),
      family.command("xlen", 2, xlen_command)
          .flags(read_fast)
          .doc("Return the number of entries in a stream", "5.0.0"),
      family.command("xsetid", -3, xsetid_command)
          .flags(write_oom_fast)
          .doc("An internal command for replicating stream values", "5.0.0"),
      family.command("xrange", -4, xrange_command)
          .flags(flag_readonly)
          .doc("Return a range of elements in a stream, with IDs matching the specified IDs "
               "interval",
               "5.0.0"),
      family.command("xrevrange", -4, xrevrange_command)
          .flags(flag_readonly)
          .doc("Return a range of elements in a stream, with IDs matching the specified IDs "
               "interval, in reverse order (from greater to smaller IDs) compared to XRANGE",
               "5.0.0"),
      family.command("xread", -4, xread_command)
          .flags(flag_readonly | flag_blocking)
          .keys(no_keys)
          .doc("Return never seen elements in multiple streams, with IDs greater than the ones "
               "reported by the caller for each stream. Can block.",
               "5.0.0")
          .key_finder(xread_keys),
      family.command("xreadgroup", -7, xreadgroup_command)
          .flags(flag_write | flag_blocking)
          .keys(no_keys)
          .doc("Return new entries from a stream using a consumer group, or access the history "
               "of the pending entries for a given consumer. Can block.",
               "5.0.0")
          .key_finder(xread_keys),
      family.command("xack", -4, xack_command)
          .flags(write_fast)
          .doc("Marks a pending message as correctly processed, effectively removing it from "
               "the pending entries list of the consumer group. Return value of the command is "
               "the number of messages successfully acknowledged, that is, the IDs we were "
               "actually able to resolve in the PEL.",
               "5.0.0"),
      family.command("xpending", -3, xpending_command)
          .flags(flag_readonly)
          .doc("Return information and entries from a stream consumer group pending entries "
               "list, that are messages fetched but never acknowledged.",
               "5.0.0"),
      family.command("xclaim", -6, xclaim_command)
          .flags(write_fast)
          .doc("Changes (or acquires) ownership of a message in a consumer group, as if the "
               "message was delivered to the specified consumer.",
               "5.0.0"),
      family.command("xautoclaim", -6, xautoclaim_command)
          .flags(write_fast)
          .doc("Changes (or acquires) ownership of messages in a consumer group, as if the "
               "messages were delivered to the specified consumer.",
               "6.2.0"),
      xgroup_spec(family),
      xinfo_spec(family),
  };
  for (const auto& spec : specs) table.add(spec);
}

}  // namespace ringcache::commands
