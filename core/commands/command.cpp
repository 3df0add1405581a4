#include "core/commands/command.h"

#include "core/commands/encoded_families.h"
#include "core/commands/scripting/script_commands.h"

namespace ringcache::commands {

CommandTable build_command_table() {
  CommandTable table;
  register_string_commands(table);
  register_key_commands(table);
  register_server_commands(table);
  register_list_commands(table);
  register_hash_commands(table);
  register_set_commands(table);
  register_zset_commands(table);
  register_pubsub_commands(table);
  register_transaction_commands(table);
  register_cluster_commands(table);
  register_replication_commands(table);
  register_bitmap_commands(table);
  register_hyperloglog_commands(table);
  register_lcs_commands(table);
  register_geo_commands(table);
  register_eval_commands(table);
  register_script_command(table);
  register_function_commands(table);
  register_stream_commands(table);
  return table;
}

}  // namespace ringcache::commands
