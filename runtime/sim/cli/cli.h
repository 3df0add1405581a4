#pragma once
// The ringcache-sim command line: shared pieces of the run, sweep, shrink and regressions
// commands. Only the CLI reads scenario files and writes trace files; the simulator itself
// never touches the OS.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/sim/scenario/runner.h"
#include "runtime/sim/scenario/scenario.h"

namespace ringcache::sim::cli {

// Parsed "--name value" options and positional arguments.
struct Args {
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> options;  // flags have value ""
  std::optional<std::string> get(const std::string& name) const;
  bool has(const std::string& name) const { return get(name).has_value(); }
  std::optional<uint64_t> number(const std::string& name) const;
};
Args parse_args(int argc, char** argv, int first, const std::vector<std::string>& flags);

std::optional<std::string> read_file(const std::string& path, std::string& error);

struct LoadedScenario {
  std::string path;
  std::string text;
  Scenario scenario;
};
// Reads and parses; prints the problem and returns nullopt on failure.
std::optional<LoadedScenario> load(const std::string& path);

// One run on a thread of its own (each simulation installs its own fiber scheduler), timed.
struct TimedRun {
  RunReport report;
  double wall_s = 0;
};
TimedRun run_once(const Scenario& scenario, uint64_t seed,
                  const RunDigest::Sink& sink = {});

// `seed=N result=pass|fail trace=... sim_s=... wall_s=... events=... faults=...`
std::string summary_line(const RunReport& report, double wall_s);
// What the checkers checked, one line per checker: "checked linearizability keys=6 ops=..."
// (`counts` as in RunReport::checked, or their totals over a sweep).
std::vector<std::string> checked_lines(const std::vector<std::pair<std::string, uint64_t>>& counts);
// Adds `counts` into `totals`, name by name (first-seen order); a name ending in `_max` keeps
// the largest.
void add_counts(std::vector<std::pair<std::string, uint64_t>>& totals,
                const std::vector<std::pair<std::string, uint64_t>>& counts);
std::string replay_command(const std::string& scenario_path, uint64_t seed);

int run_command(const Args& args);
int sweep_command(const Args& args);
int shrink_command(const Args& args);
int regressions_command(const Args& args);

}  // namespace ringcache::sim::cli
