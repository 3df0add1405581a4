// ringcache-sim sweep SCENARIO --seeds COUNT [--from S] [--jobs J]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include "runtime/sim/cli/cli.h"

namespace ringcache::sim::cli {
namespace {

struct SweepRow {
  uint64_t seed = 0;
  bool pass = true;
  std::string first_failure;
};

void print_failures(const std::vector<SweepRow>& rows, const std::string& path) {
  std::printf("%-12s %s\n", "seed", "first failure");
  for (const SweepRow& row : rows) {
    if (row.pass) continue;
    std::printf("%-12llu %s\n", static_cast<unsigned long long>(row.seed),
                row.first_failure.c_str());
    std::printf("%-12s replay: %s\n", "", replay_command(path, row.seed).c_str());
  }
}

}  // namespace

int sweep_command(const Args& args) {
  auto count = args.number("--seeds");
  if (args.positional.size() != 1 || !count || *count == 0) {
    std::fprintf(stderr,
                 "usage: ringcache-sim sweep SCENARIO --seeds COUNT [--from S] "
                 "[--jobs J]\n");
    return 2;
  }
  auto loaded = load(args.positional[0]);
  if (!loaded) return 2;
  const uint64_t from = args.number("--from").value_or(1);
  const uint64_t jobs = std::clamp<uint64_t>(
      args.number("--jobs").value_or(std::max(1u, std::thread::hardware_concurrency())), 1, 256);
  std::vector<SweepRow> rows(*count);
  std::atomic<uint64_t> next{0};
  std::atomic<uint64_t> done{0}, failed{0};
  std::vector<std::pair<std::string, uint64_t>> checked;  // totals, under `print`
  std::mutex print;
  const auto started = std::chrono::steady_clock::now();
  auto worker = [&] {
    for (uint64_t i = next++; i < *count; i = next++) {
      TimedRun run = run_once(loaded->scenario, from + i);
      rows[i] = {from + i, run.report.pass,
                 run.report.failures.empty() ? "" : run.report.failures.front()};
      if (!run.report.pass) ++failed;
      std::lock_guard lock(print);
      add_counts(checked, run.report.checked);
      // About a hundred progress updates per sweep, so logs stay readable.
      if (++done % std::max<uint64_t>(1, *count / 100) != 0 && done != *count) continue;
      std::fprintf(stderr, "\rsweep %llu/%llu failures=%llu", (unsigned long long)done.load(),
                   (unsigned long long)*count, (unsigned long long)failed.load());
    }
  };
  std::vector<std::thread> threads;
  for (uint64_t j = 0; j < jobs; ++j) threads.emplace_back(worker);
  for (std::thread& thread : threads) thread.join();
  std::fprintf(stderr, "\n");
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (failed > 0) print_failures(rows, loaded->path);
  for (const std::string& line : checked_lines(checked)) std::printf("sweep %s\n", line.c_str());
  std::printf("sweep seeds=%llu..%llu runs=%llu failed=%llu wall_s=%.3f\n",
              (unsigned long long)from, (unsigned long long)(from + *count - 1),
              (unsigned long long)*count, (unsigned long long)failed.load(), wall_s);
  return failed == 0 ? 0 : 1;
}

}  // namespace ringcache::sim::cli
