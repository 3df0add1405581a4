#include "runtime/sim/cli/cli.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "runtime/sim/own_thread.h"

namespace ringcache::sim::cli {

std::optional<std::string> Args::get(const std::string& name) const {
  for (const auto& [key, value] : options) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::optional<uint64_t> Args::number(const std::string& name) const {
  auto text = get(name);
  if (!text) return std::nullopt;
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return value;
}

Args parse_args(int argc, char** argv, int first, const std::vector<std::string>& flags) {
  Args args;
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      args.positional.push_back(arg);
      continue;
    }
    const bool is_flag = std::find(flags.begin(), flags.end(), arg) != flags.end();
    if (is_flag || i + 1 >= argc) {
      args.options.emplace_back(arg, "");
    } else {
      args.options.emplace_back(arg, argv[++i]);
    }
  }
  return args;
}

std::optional<std::string> read_file(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open " + path;
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<LoadedScenario> load(const std::string& path) {
  std::string error;
  auto text = read_file(path, error);
  if (!text) {
    std::fprintf(stderr, "ringcache-sim: %s\n", error.c_str());
    return std::nullopt;
  }
  auto scenario = parse_scenario(*text, path);
  if (!scenario) {
    std::fprintf(stderr, "ringcache-sim: %s\n", scenario.status().message().c_str());
    return std::nullopt;
  }
  return LoadedScenario{path, std::move(*text), std::move(scenario.value())};
}

TimedRun run_once(const Scenario& scenario, uint64_t seed,
                  const RunDigest::Sink& sink) {
  const auto started = std::chrono::steady_clock::now();
  TimedRun run;
  run.report = on_own_thread([&] { return run_scenario(scenario, seed, sink); });
  run.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return run;
}

std::string summary_line(const RunReport& report, double wall_s) {
  return fmt::format("seed={} result={} trace={} sim_s={:.3f} wall_s={:.3f} events={} faults={}",
                     report.seed, report.pass ? "pass" : "fail", report.trace_hex,
                     static_cast<double>(report.sim_ns) / 1e9, wall_s, report.events,
                     report.faults);
}

std::vector<std::string> checked_lines(
    const std::vector<std::pair<std::string, uint64_t>>& counts) {
  std::vector<std::string> lines;
  std::string checker;
  for (const auto& [name, count] : counts) {
    const size_t dot = name.find('.');
    const std::string owner = name.substr(0, dot);
    if (lines.empty() || owner != checker) {
      checker = owner;
      lines.push_back("checked " + owner);
    }
    lines.back() += fmt::format(" {}={}", name.substr(dot + 1), count);
  }
  return lines;
}

void add_counts(std::vector<std::pair<std::string, uint64_t>>& totals,
                const std::vector<std::pair<std::string, uint64_t>>& counts) {
  for (const auto& [name, count] : counts) {
    auto found = std::find_if(totals.begin(), totals.end(),
                              [&](const auto& total) { return total.first == name; });
    if (found == totals.end()) {
      totals.emplace_back(name, count);
    } else if (name.ends_with("_max")) {  // a measured maximum: the sweep's is the largest
      found->second = std::max(found->second, count);
    } else {
      found->second += count;
    }
  }
}

std::string replay_command(const std::string& scenario_path, uint64_t seed) {
  return fmt::format("ringcache-sim run {} --seed {}", scenario_path, seed);
}

}  // namespace ringcache::sim::cli
