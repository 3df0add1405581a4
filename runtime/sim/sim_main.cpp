// ringcache-sim: runs simulation scenarios from seeds, sweeps seeds, shrinks failures and
// replays the regression list. See docs/simulator.md.
#include <cstdio>
#include <string>

#include "runtime/sim/cli/cli.h"

namespace {
constexpr const char* usage =
    "usage:\n"
    "  ringcache-sim run SCENARIO --seed N [--check-determinism] [--trace FILE]\n"
    "  ringcache-sim sweep SCENARIO --seeds COUNT [--from S] [--jobs J]\n"
    "  ringcache-sim shrink SCENARIO --seed N [--out FILE]\n"
    "  ringcache-sim regressions FILE\n";
}  // namespace

int main(int argc, char** argv) {
  using namespace ringcache::sim::cli;
  if (argc < 2) {
    std::fputs(usage, stderr);
    return 2;
  }
  const std::string command = argv[1];
  const Args args = parse_args(argc, argv, 2, {"--check-determinism"});
  if (command == "run") return run_command(args);
  if (command == "sweep") return sweep_command(args);
  if (command == "shrink") return shrink_command(args);
  if (command == "regressions") return regressions_command(args);
  std::fputs(usage, stderr);
  return 2;
}
