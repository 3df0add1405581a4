// ringcache-sim shrink SCENARIO --seed N [--out FILE]
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "runtime/sim/cli/cli.h"
#include "runtime/sim/scenario/shrink.h"

namespace ringcache::sim::cli {
namespace {

// Does the scenario with these faults and this budget still fail on `seed`?
struct Attempt {
  const LoadedScenario& original;
  uint64_t seed;
  DiskFaultRates disk;
  int runs = 0;

  bool fails(const std::vector<FaultEvent>& events, uint64_t max_ops) {
    const std::string text = rewrite_scenario(original.text, events, disk, max_ops);
    auto scenario = parse_scenario(text, original.path);
    if (!scenario) return false;
    ++runs;
    std::fprintf(stderr, "\rshrink: run %d (%zu faults, %llu ops)   ", runs, events.size(),
                 static_cast<unsigned long long>(max_ops));
    return !run_once(scenario.value(), seed).report.pass;
  }
};

std::string default_output(const std::string& path, uint64_t seed) {
  std::filesystem::path input(path);
  return (input.parent_path() / fmt::format("{}.seed{}.shrunk.toml", input.stem().string(), seed))
      .string();
}

}  // namespace

int shrink_command(const Args& args) {
  auto seed = args.number("--seed");
  if (args.positional.size() != 1 || !seed) {
    std::fprintf(stderr, "usage: ringcache-sim shrink SCENARIO --seed N [--out FILE]\n");
    return 2;
  }
  auto loaded = load(args.positional[0]);
  if (!loaded) return 2;
  TimedRun first = run_once(loaded->scenario, *seed);
  if (first.report.pass) {
    std::printf("seed %llu passes: nothing to shrink\n", static_cast<unsigned long long>(*seed));
    return 2;
  }
  Attempt attempt{*loaded, *seed, first.report.disk_rates};
  std::vector<FaultEvent> events = first.report.fault_events;
  uint64_t ops = first.report.ops;
  if (!attempt.fails(events, ops)) {
    std::printf("the failure does not reproduce with its faults made explicit; not shrunk\n");
    return 1;
  }
  events =
      shrink_events(events, [&](const auto& candidate) { return attempt.fails(candidate, ops); });
  ops = shrink_ops(ops, [&](uint64_t candidate) { return attempt.fails(events, candidate); });
  std::fprintf(stderr, "\n");
  const std::string out = args.get("--out").value_or(default_output(loaded->path, *seed));
  std::ofstream file(out);
  file << "# Shrunk by: ringcache-sim shrink " << loaded->path << " --seed " << *seed << "\n"
       << rewrite_scenario(loaded->text, events, first.report.disk_rates, ops);
  if (!file) {
    std::fprintf(stderr, "ringcache-sim: cannot write %s\n", out.c_str());
    return 2;
  }
  std::printf("shrunk from %zu to %zu faults and %llu to %llu operations in %d runs\n",
              first.report.fault_events.size(), events.size(),
              static_cast<unsigned long long>(first.report.ops),
              static_cast<unsigned long long>(ops), attempt.runs);
  std::printf("replay: %s\n", replay_command(out, *seed).c_str());
  std::printf("%s\n", out.c_str());
  return 0;
}

}  // namespace ringcache::sim::cli
