// ringcache-sim regressions FILE: replays every "scenario seed" line (paths relative to FILE).
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "runtime/sim/cli/cli.h"

namespace ringcache::sim::cli {

int regressions_command(const Args& args) {
  if (args.positional.size() != 1) {
    std::fprintf(stderr, "usage: ringcache-sim regressions FILE\n");
    return 2;
  }
  std::string error;
  auto text = read_file(args.positional[0], error);
  if (!text) {
    std::fprintf(stderr, "ringcache-sim: %s\n", error.c_str());
    return 2;
  }
  const std::filesystem::path base = std::filesystem::path(args.positional[0]).parent_path();
  std::istringstream lines(*text);
  std::string line;
  int runs = 0, failed = 0, line_number = 0;
  while (std::getline(lines, line)) {
    ++line_number;
    std::istringstream fields(line);
    std::string scenario_name;
    uint64_t seed = 0;
    if (!(fields >> scenario_name) || scenario_name[0] == '#') continue;
    if (!(fields >> seed)) {
      std::fprintf(stderr, "%s:%d: expected 'scenario seed'\n", args.positional[0].c_str(),
                   line_number);
      return 2;
    }
    const std::string path = (base / scenario_name).string();
    auto loaded = load(path);
    if (!loaded) return 2;
    TimedRun run = run_once(loaded->scenario, seed);
    ++runs;
    if (!run.report.pass) {
      ++failed;
      for (const std::string& failure : run.report.failures) {
        std::printf("FAIL %s\n", failure.c_str());
      }
      std::printf("replay: %s\n", replay_command(path, seed).c_str());
    }
    std::printf("%s %s\n", scenario_name.c_str(), summary_line(run.report, run.wall_s).c_str());
  }
  std::printf("regressions runs=%d failed=%d\n", runs, failed);
  return failed == 0 ? 0 : 1;
}

}  // namespace ringcache::sim::cli
