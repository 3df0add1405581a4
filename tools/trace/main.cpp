// ringcache-trace: replays a trace file or a generated workload through eviction policies at a
// sweep of cache sizes and reports object and byte miss ratios and replay speed (table, CSV, SVG).
// The policies are the node's own cores (core/store/policies/). See docs/eviction-lab.md.

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cxxopts.hpp>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <optional>

#include "core/constants.h"
#include "core/store/policies/policy_core.h"
#include "lab/replay.h"
#include "lab/workload.h"
#include "lab/load.h"
#include "tools/trace/progress.h"
#include "tools/trace/report.h"
#include "tools/trace/sizes.h"

namespace ringcache::trace_tool {
namespace {

using store::policies::PolicyKind;

// CPU seconds of this thread: replay speed that does not depend on what else the machine runs
// (on an idle machine it is the wall time of the single-threaded replay).
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

int fail(const std::string& message) {
  std::cerr << "ringcache-trace: " << message << "\n";
  return 1;
}

cxxopts::Options make_options() {
  cxxopts::Options o("ringcache-trace",
                     "Replay a cache trace or a generated workload through eviction policies.");
  o.add_options("input")
      ("trace", "trace file (gzip/zstd detected)", cxxopts::value<std::string>())
      ("format", "oracleGeneral, csv, plain or twitter (default: from the file name)",
       cxxopts::value<std::string>())
      ("csv-columns", "one-based CSV columns, e.g. time=1,key=2,size=3,op=4",
       cxxopts::value<std::string>()->default_value("key=1"))
      ("csv-header", "the CSV file has a header line to skip")
      ("workload", "generate instead: patterns such as zipf:1.0 or zipf:0.9@0.8,scan@0.2",
       cxxopts::value<std::string>())
      ("objects", "objects of the generated workload",
       cxxopts::value<uint64_t>()->default_value("1000000"))
      ("requests", "requests of the generated workload",
       cxxopts::value<uint64_t>()->default_value("10000000"))
      ("object-size", "object sizes: fixed:B, uniform:MIN:MAX or lognormal:MEDIAN:SIGMA",
       cxxopts::value<std::string>()->default_value("fixed:1"))
      ("seed", "seed of the generated workload and of random eviction",
       cxxopts::value<uint64_t>()->default_value("1"))
      ("write-trace", "write the trace in the oracleGeneral format to this file",
       cxxopts::value<std::string>());
  o.add_options("replay")
      ("policies", "comma-separated, or all",
       cxxopts::value<std::string>()->default_value("all"))
      ("sizes", "cache sizes: counts (4897), bytes (64mb) or fractions of the working set (0.01)",
       cxxopts::value<std::string>()->default_value(default_sizes))
      ("ignore-size", "every object counts as 1 (sizes are then object counts)");
  o.add_options("redis-lru and redis-lfu")
      ("maxmemory-samples", "keys sampled per eviction",
       cxxopts::value<int>()->default_value(std::to_string(constants::maxmemory_samples_default)))
      ("lfu-log-factor", "the LFU counter's logarithm factor",
       cxxopts::value<int>()->default_value(std::to_string(constants::lfu_log_factor_default)))
      ("lfu-decay-time", "minutes per LFU counter decrement",
       cxxopts::value<int>()->default_value(std::to_string(constants::lfu_decay_time_default)))
      ("request-rate", "requests per second the replay stands for (their clocks tick in seconds)",
       cxxopts::value<uint64_t>()->default_value(
           std::to_string(constants::replay_requests_per_second_default)));
  o.add_options("output")
      ("csv", "print CSV instead of a table")
      ("svg", "write the miss-ratio curves to this SVG file", cxxopts::value<std::string>())
      ("progress", "draw the progress bar even when standard error is not a terminal")
      ("quiet", "no progress bar")
      ("h,help", "this help");
  return o;
}

std::string parse_policies(const std::string& text, std::vector<PolicyKind>& out) {
  out.clear();
  if (text == "all") {
    out.assign(std::begin(store::policies::all_policy_kinds),
               std::end(store::policies::all_policy_kinds));
    return "";
  }
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string name = text.substr(start, end - start);
    const std::optional<PolicyKind> kind = store::policies::parse_policy_kind(name);
    if (!kind) {
      std::string known;
      for (PolicyKind k : store::policies::all_policy_kinds) {
        known += std::string(known.empty() ? "" : ", ") + store::policies::policy_kind_name(k);
      }
      return "unknown policy '" + name + "' (known: " + known + ")";
    }
    out.push_back(*kind);
    start = end + 1;
  }
  return "";
}

// Loads or generates the trace the options ask for.
std::string obtain_trace(const cxxopts::ParseResult& args, ProgressBar& bar, lab::Trace& out,
                         std::string& title) {
  if (args.count("trace") == args.count("workload")) {
    return "give exactly one of --trace FILE and --workload PATTERNS";
  }
  if (args.count("workload")) {
    lab::WorkloadSpec spec;
    std::string error;
    if (!lab::parse_patterns(args["workload"].as<std::string>(), spec.patterns, error) ||
        !lab::parse_size_distribution(args["object-size"].as<std::string>(), spec.sizes, error)) {
      return error;
    }
    spec.objects = args["objects"].as<uint64_t>();
    spec.requests = args["requests"].as<uint64_t>();
    spec.seed = args["seed"].as<uint64_t>();
    if (spec.objects == 0 || spec.objects > (1ULL << 31) || spec.requests == 0) {
      return "--objects must be in 1..2^31 and --requests at least 1";
    }
    title = args["workload"].as<std::string>() + ", " + std::to_string(spec.objects) +
            " objects, " + std::to_string(spec.requests) + " requests";
    bar.start("generating", spec.requests);
    out = lab::generate_workload(spec, [&](uint64_t done) { bar.update(done); });
    bar.clear();
    return "";
  }
  const std::string path = args["trace"].as<std::string>();
  lab::LoadOptions load;
  load.format = lab::guess_file_format(path);
  if (args.count("format") &&
      !lab::parse_file_format(args["format"].as<std::string>(), load.format)) {
    return "unknown format '" + args["format"].as<std::string>() +
           "' (oracleGeneral, csv, plain, twitter)";
  }
  if (!lab::parse_csv_columns(args["csv-columns"].as<std::string>(), load.columns)) {
    return "bad --csv-columns '" + args["csv-columns"].as<std::string>() + "'";
  }
  load.columns.header = args.count("csv-header") > 0;
  load.progress = [&](uint64_t done) { bar.update(done); };
  bar.start("reading " + path, 0);
  std::string warning;
  const std::string error = lab::load_trace(path, load, out, warning);
  bar.clear();
  if (!warning.empty()) std::cerr << "ringcache-trace: " << warning << "\n";
  const size_t slash = path.find_last_of('/');
  title = slash == std::string::npos ? path : path.substr(slash + 1);
  return error;
}

// The settings of redis-lru and redis-lfu, checked as the node checks its config.
std::string parse_sampled(const cxxopts::ParseResult& args, store::policies::SampledParams& out) {
  out.samples = args["maxmemory-samples"].as<int>();
  out.lfu_log_factor = args["lfu-log-factor"].as<int>();
  out.lfu_decay_minutes = args["lfu-decay-time"].as<int>();
  out.requests_per_second = args["request-rate"].as<uint64_t>();
  if (out.samples < 1 || out.samples > constants::maxmemory_samples_max) {
    return fmt::format("--maxmemory-samples must be in 1..{}", constants::maxmemory_samples_max);
  }
  if (out.lfu_log_factor < 0 || out.lfu_decay_minutes < 0) {
    return "--lfu-log-factor and --lfu-decay-time must not be negative";
  }
  if (out.requests_per_second == 0) return "--request-rate must be at least 1";
  return "";
}

int run(int argc, char** argv) {
  cxxopts::Options options = make_options();
  cxxopts::ParseResult args;
  try {
    args = options.parse(argc, argv);
  } catch (const cxxopts::exceptions::exception& e) {
    return fail(e.what());
  }
  if (args.count("help")) {
    std::cout << options.help() << "\n";
    return 0;
  }
  if (!args.unmatched().empty()) return fail("unexpected argument '" + args.unmatched()[0] + "'");
  std::vector<PolicyKind> kinds;
  std::vector<SizeSpec> sizes;
  std::string error = parse_policies(args["policies"].as<std::string>(), kinds);
  if (error.empty()) error = parse_sizes(args["sizes"].as<std::string>(), sizes);
  store::policies::SampledParams sampled;
  if (error.empty()) error = parse_sampled(args, sampled);
  if (!error.empty()) return fail(error);

  const bool draw = !args.count("quiet") && (args.count("progress") || isatty(STDERR_FILENO));
  ProgressBar bar(draw);
  lab::Trace trace;
  std::string title;
  error = obtain_trace(args, bar, trace, title);
  if (!error.empty()) return fail(error);
  if (args.count("write-trace")) {
    error = lab::write_oracle_general(args["write-trace"].as<std::string>(), trace);
    if (!error.empty()) return fail(error);
  }

  const bool ignore_size = args.count("ignore-size") > 0;
  const uint64_t working_set = ignore_size ? trace.objects : trace.working_set_bytes;
  std::vector<ResultRow> rows;
  for (PolicyKind kind : kinds) {
    for (const SizeSpec& spec : sizes) {
      lab::ReplayOptions replay;
      replay.capacity = resolve_size(spec, working_set);
      replay.ignore_size = ignore_size;
      replay.seed = args["seed"].as<uint64_t>();
      replay.sampled = sampled;
      replay.progress = [&](uint64_t done) { bar.update(done); };
      bar.start(fmt::format("{} @ {}", store::policies::policy_kind_name(kind), replay.capacity),
                trace.requests.size());
      const double begin = thread_cpu_seconds();
      const lab::ReplayResult result = lab::replay(kind, trace, replay);
      const double seconds = std::max(thread_cpu_seconds() - begin, 1e-9);
      bar.clear();
      rows.push_back(ResultRow{store::policies::policy_kind_name(kind), replay.capacity,
                               result.requests, result.miss_ratio(), result.byte_miss_ratio(),
                               static_cast<double>(result.requests) / seconds / 1e6});
    }
  }
  if (args.count("csv")) write_csv(std::cout, rows);
  else write_table(std::cout, rows);
  if (args.count("svg")) {
    std::ofstream svg(args["svg"].as<std::string>());
    write_svg(svg, rows, ignore_size ? "objects" : "bytes", title);
    if (!svg) return fail(args["svg"].as<std::string>() + ": cannot write");
  }
  return 0;
}

}  // namespace
}  // namespace ringcache::trace_tool

int main(int argc, char** argv) { return ringcache::trace_tool::run(argc, argv); }
