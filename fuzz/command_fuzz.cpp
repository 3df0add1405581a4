// libFuzzer target for the command handlers: runs arbitrary argument lists through
// commands::execute on one node, as a connection would, and checks that every command answers
// with complete, well-formed RESP (a handler must never crash, hang or answer garbage, whatever its
// arguments). The parsers have their own targets; this one is about what comes after them.
//
// Input: commands separated by '\n'. A command's first byte picks its name from the command table
// (subcommands included, as "CLIENT" "LIST"), so nearly every input reaches a real handler; the
// rest, split at ' ', are its arguments. fuzz/command_fuzz.dict holds the options and numbers the
// handlers look for.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/commands/command.h"
#include "core/commands/dispatch.h"
#include "core/server/clients/client.h"
#include "core/server/server.h"
#include "core/protocol/reply_writer.h"
#include "tests/support/manual_runtime.h"
#include "tests/support/reply_decoder.h"

namespace {

using namespace ringcache;

constexpr size_t commands_max = 64;
constexpr size_t arguments_max = 64;

// Every command the table knows, as the words a client sends for it.
std::vector<std::vector<std::string>> command_names(const commands::CommandTable& table) {
  std::vector<std::vector<std::string>> names;
  for (const commands::CommandSpec* spec : table.all()) {
    names.push_back({spec->name});
    for (const commands::CommandSpec& sub : spec->subcommands) {
      const std::string_view full = sub.name;  // "client|list"
      names.push_back({spec->name, std::string(full.substr(full.find('|') + 1))});
    }
  }
  return names;
}

std::vector<std::string_view> split(std::string_view text, char separator, size_t max) {
  std::vector<std::string_view> parts;
  while (parts.size() < max) {
    const size_t end = text.find(separator);
    parts.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return parts;
}

// Aborts unless `raw` is one or more complete RESP replies and nothing else.
void expect_well_formed(std::string_view raw) {
  if (raw.empty()) std::abort();  // every command answers (SHUTDOWN aside, not reached here)
  while (!raw.empty()) {
    if (!testing::decode_reply(raw)) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(bytes), size);
  testing::ManualRuntime runtime;
  server::Config config;
  config.proto_max_bulk_len = 1 << 20;  // SETRANGE/APPEND may not grow a value past 1 MiB
  server::Server server(runtime, std::move(config), commands::build_command_table());
  server::Client client;
  client.id = server.next_client_id();
  client.kill = [] {};
  server.clients()[client.id] = &client;
  static const std::vector<std::vector<std::string>> names = command_names(server.commands());

  for (std::string_view line : split(input, '\n', commands_max)) {
    if (line.empty()) continue;
    const std::vector<std::string>& name = names[static_cast<uint8_t>(line[0]) % names.size()];
    std::vector<std::string_view> argv(name.begin(), name.end());
    if (line.size() > 1) {
      for (std::string_view argument : split(line.substr(1), ' ', arguments_max)) {
        argv.push_back(argument);
      }
    }
    if (argv[0] == "shutdown") continue;  // ends the node: nothing after it would run
    // Scripts may loop until killed, which nothing here does: eval_fuzz.cpp fuzzes them.
    if (argv[0].starts_with("eval")) continue;
    std::string out;
    protocol::ReplyWriter writer(out, client.resp_version);
    commands::execute(server, client, argv, writer);
    expect_well_formed(out);
    if (client.close_after_reply) break;  // QUIT: the connection would close here
  }
  server.clients().clear();
  return 0;
}
