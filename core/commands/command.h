#pragma once
// The command families: each registers its commands in the server's table with one function (a
// file or folder per family). The table's types live with the server that owns the table
// (core/server/command_table.h); commands name them from here.

#include "core/server/command_table.h"

namespace ringcache::commands {

using server::ChannelArgs;
using server::CommandContext;
using server::CommandSpec;
using server::CommandStats;
using server::CommandTable;
using server::Handler;
using server::KeyFinder;
using server::KeyRange;
using server::flag_names;
using server::key_spec_flag_names;
using enum server::CommandFlag;

void register_string_commands(CommandTable& table);
void register_key_commands(CommandTable& table);
void register_server_commands(CommandTable& table);      // server/: server + connection commands
void register_list_commands(CommandTable& table);        // list/: blocking pops included
void register_hash_commands(CommandTable& table);
void register_set_commands(CommandTable& table);
void register_zset_commands(CommandTable& table);        // zset/
void register_pubsub_commands(CommandTable& table);      // pubsub.cpp
void register_transaction_commands(CommandTable& table); // transactions.cpp
void register_cluster_commands(CommandTable& table);     // cluster/: CLUSTER, ASKING, READONLY, ...
void register_replication_commands(CommandTable& table); // replication.cpp: REPLICAOF, WAIT, PSYNC
void register_stream_commands(CommandTable& table);      // stream/: XADD ... XINFO, groups
// All families, in a table of the node's own (its statistics are per node).
CommandTable build_command_table();

}  // namespace ringcache::commands
