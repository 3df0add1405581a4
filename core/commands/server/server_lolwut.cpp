// LOLWUT [VERSION v]: a small piece of generated art and the version, as Redis' LOLWUT ends with
// its own. The art is ringcache's: a ring of nodes drawn on a character grid, its size from
// VERSION's number so each version looks a little different.

#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/commands/arguments.h"
#include "core/commands/server/server_family.h"
#include "core/constants.h"

namespace ringcache::commands {
namespace {

constexpr int art_columns = 33;
constexpr int art_rows = 15;
constexpr int ring_nodes_min = 3;
constexpr int ring_nodes_max = 12;

// A ring of `nodes` points ('o') joined by dots, on a grid.
std::string ring_art(int nodes) {
  std::vector<std::string> grid(art_rows, std::string(art_columns, ' '));
  const double cx = (art_columns - 1) / 2.0;
  const double cy = (art_rows - 1) / 2.0;
  const auto plot = [&](double angle, char mark) {
    const auto x = static_cast<int>(std::lround(cx + std::cos(angle) * cx));
    const auto y = static_cast<int>(std::lround(cy + std::sin(angle) * cy));
    if (grid[y][x] != 'o') grid[y][x] = mark;
  };
  constexpr int steps = 96;
  for (int i = 0; i < steps; ++i) plot(2 * M_PI * i / steps, '.');
  for (int i = 0; i < nodes; ++i) plot(2 * M_PI * i / nodes, 'o');
  std::string text;
  for (const std::string& row : grid) text += row + "\n";
  return text;
}

void lolwut_command(CommandContext& ctx) {
  // As Redis 7.0 reads its arguments: VERSION n first or not at all; versions 5 and 6 then take
  // up to three and two numbers (the sizes of their art, errors when not numbers), the others
  // ignore what follows.
  int64_t version = 7;
  size_t rest = 1;
  if (ctx.argv.size() >= 3 && option_is(ctx.argv[1], "VERSION")) {
    auto parsed = int64_or_reply(ctx, ctx.argv[2]);
    if (!parsed) return;
    version = *parsed;
    rest = 3;
  }
  const size_t sizes = version == 5 ? 3 : version == 6 ? 2 : 0;
  for (size_t i = rest; i < ctx.argv.size() && i < rest + sizes; ++i) {
    if (!int64_or_reply(ctx, ctx.argv[i])) return;
  }
  const int64_t span = ring_nodes_max - ring_nodes_min + 1;
  const int nodes = static_cast<int>(ring_nodes_min + ((version % span) + span) % span);
  ctx.reply.verbatim("txt", ring_art(nodes) + fmt::format("\nringcache ver. {} (Redis ver. {})\n",
                                                          constants::ringcache_version,
                                                          constants::redis_compat_version));
}

}  // namespace

void register_lolwut_command(CommandTable& table) {
  table.add(spec("lolwut", -1, lolwut_command)
                .flags(flag_readonly | flag_fast)
                .acl("@read @fast")
                .group("server")
                .doc("Display some computer art and the Redis version", "5.0.0"));
}

}  // namespace ringcache::commands
