// ringcache-sim run SCENARIO --seed N [--check-determinism] [--trace FILE]
#include <cstdio>
#include <fstream>

#include "runtime/sim/cli/cli.h"

namespace ringcache::sim::cli {
namespace {

void print_report(const RunReport& report) {
  std::printf("options chosen by seed %llu:\n", static_cast<unsigned long long>(report.seed));
  for (const std::string& line : report.options) std::printf("  %s\n", line.c_str());
  std::printf("operations: %llu\n", static_cast<unsigned long long>(report.ops));
  for (const std::string& line : checked_lines(report.checked)) std::printf("%s\n", line.c_str());
  for (const std::string& note : report.notes) std::printf("note: %s\n", note.c_str());
  for (const std::string& failure : report.failures) std::printf("FAIL %s\n", failure.c_str());
}

}  // namespace

int run_command(const Args& args) {
  auto seed = args.number("--seed");
  if (args.positional.size() != 1 || !seed) {
    std::fprintf(stderr,
                 "usage: ringcache-sim run SCENARIO --seed N [--check-determinism] "
                 "[--trace FILE]\n");
    return 2;
  }
  auto loaded = load(args.positional[0]);
  if (!loaded) return 2;
  std::ofstream trace_file;
  RunDigest::Sink sink;
  if (auto path = args.get("--trace")) {
    trace_file.open(*path);
    if (!trace_file) {
      std::fprintf(stderr, "ringcache-sim: cannot write %s\n", path->c_str());
      return 2;
    }
    sink = [&trace_file](std::string_view line) { trace_file << line << '\n'; };
  }
  TimedRun run = run_once(loaded->scenario, *seed, sink);
  print_report(run.report);
  if (args.has("--check-determinism")) {
    TimedRun again = run_once(loaded->scenario, *seed);
    const bool same =
        again.report.trace_hex == run.report.trace_hex && again.report.events == run.report.events;
    std::printf("determinism: %s (trace %s then %s)\n", same ? "ok" : "FAILED",
                run.report.trace_hex.c_str(), again.report.trace_hex.c_str());
    if (!same) {
      run.report.pass = false;
      run.report.failures.push_back("determinism: two runs of one seed differ");
    }
  }
  if (!run.report.pass) {
    std::printf("replay: %s\n", replay_command(loaded->path, *seed).c_str());
  }
  std::printf("%s\n", summary_line(run.report, run.wall_s).c_str());
  return run.report.pass ? 0 : 1;
}

}  // namespace ringcache::sim::cli
