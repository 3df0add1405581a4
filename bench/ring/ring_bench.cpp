// Measures the slot ring (core/cluster/ring.h) over many random member sets: how evenly slots
// spread over shards (max/mean slots per shard), how many slots one join and one leave move
// against the ideal 1/N, and how long computing a map takes.
//
//   ring_bench [--shards 3,10,100] [--vnodes 256] [--trials 1000] [--seed 1]
//              [--load-max-ratio 1.15 | inf]   (inf: the ring alone, no load cap)
//
// One line per (shards, vnodes): the worst and median imbalance over the trials; the fraction
// of slots moved by a join (ideal 1/(N+1)) and by a leave (ideal 1/N), as multiples of the
// ideal: mean, 5th and 95th percentiles, and the share of trials within 10% of the ideal; the
// median and worst time to compute a map (fastest of three); the median number of contiguous slot
// ranges in a map (the rows of CLUSTER SLOTS).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/cluster/ring.h"
#include "core/util/rng.h"

namespace {

using ringcache::Rng;
using ringcache::cluster::SlotMap;
namespace constants = ringcache::constants;

std::string random_shard_id(Rng& rng) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string id(constants::cluster_shard_id_chars, '0');
  for (char& c : id) c = digits[rng.below(16)];
  return id;
}

std::vector<std::string> random_members(Rng& rng, size_t count) {
  std::vector<std::string> members;
  while (members.size() < count) members.push_back(random_shard_id(rng));
  return members;
}

double load_max_ratio = constants::cluster_slot_load_max_ratio;

SlotMap compute(const std::vector<std::string>& members, uint32_t vnodes, double* micros) {
  const auto start = std::chrono::steady_clock::now();
  auto map = SlotMap::compute(members, vnodes, 1, load_max_ratio);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  if (!map) {
    std::fprintf(stderr, "compute failed: %s\n", map.status().to_string().c_str());
    std::exit(1);
  }
  if (micros) *micros = std::chrono::duration<double, std::micro>(elapsed).count();
  return std::move(map).value();
}

double imbalance(const SlotMap& map) {
  const auto counts = map.slot_counts();
  const double mean = static_cast<double>(constants::cluster_slots) / counts.size();
  return *std::max_element(counts.begin(), counts.end()) / mean;
}

size_t range_count(const SlotMap& map) {
  size_t count = 0;
  for (const auto& ranges : map.ranges()) count += ranges.size();
  return count;
}

double moved_fraction(const SlotMap& before, const SlotMap& after) {
  return static_cast<double>(ringcache::cluster::moved_slots(before, after).size()) /
         constants::cluster_slots;
}

struct Samples {
  std::vector<double> values;
  void add(double v) { values.push_back(v); }
  double quantile(double q) {
    std::sort(values.begin(), values.end());
    return values[static_cast<size_t>(q * (values.size() - 1))];
  }
  double mean() const {
    double sum = 0;
    for (double v : values) sum += v;
    return sum / values.size();
  }
  // The share of samples within `tolerance` of `target` (relative).
  double share_within(double target, double tolerance) const {
    size_t near = 0;
    for (double v : values) near += std::abs(v - target) <= tolerance * target ? 1 : 0;
    return static_cast<double>(near) / values.size();
  }
};

// Mean, 5th and 95th percentiles, and the share of trials within 10% of the ideal.
void print_movement(Samples& moved) {
  if (moved.values.empty()) {
    std::printf("%5s %5s %5s %4s | ", "-", "-", "-", "-");
    return;
  }
  std::printf("%5.3f %5.3f %5.3f %3.0f%% | ", moved.mean(), moved.quantile(0.05),
              moved.quantile(0.95), 100 * moved.share_within(1.0, 0.10));
}

void measure(size_t shards, uint32_t vnodes, int trials, Rng& rng) {
  Samples balance, join, leave, micros, runs;
  for (int t = 0; t < trials; ++t) {
    auto members = random_members(rng, shards);
    // The fastest of three computations of one map: the work itself, without the allocator's
    // occasional trips to the OS that the machine's other load makes noisy.
    double us = 0, fastest = 1e300;
    for (int repeat = 0; repeat < 2; ++repeat) {
      compute(members, vnodes, &us);
      fastest = std::min(fastest, us);
    }
    const SlotMap map = compute(members, vnodes, &us);
    micros.add(std::min(fastest, us));
    balance.add(imbalance(map));
    runs.add(static_cast<double>(range_count(map)));
    auto joined = members;
    joined.push_back(random_shard_id(rng));
    join.add(moved_fraction(map, compute(joined, vnodes, nullptr)) * (shards + 1));
    if (shards > 1) {
      auto left = members;
      left.erase(left.begin() + static_cast<long>(rng.below(left.size())));
      leave.add(moved_fraction(map, compute(left, vnodes, nullptr)) * shards);
    }
  }
  std::printf("%6zu %6u | %6.3f %6.3f | ", shards, vnodes, balance.quantile(1.0),
              balance.quantile(0.5));
  print_movement(join);
  print_movement(leave);
  std::printf("%8.1f %8.1f | %6.0f\n", micros.quantile(0.5), micros.quantile(1.0),
              runs.quantile(0.5));
}

std::vector<long> parse_list(const char* text) {
  std::vector<long> values;
  for (const char* p = text; *p;) {
    char* end = nullptr;
    values.push_back(std::strtol(p, &end, 10));
    if (end == p || values.back() <= 0) {
      std::fprintf(stderr, "bad number list: %s\n", text);
      std::exit(2);
    }
    p = *end == ',' ? end + 1 : end;
  }
  return values;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<long> shard_counts = {3, 10, 100};
  std::vector<long> vnode_counts = {static_cast<long>(constants::cluster_vnodes_default)};
  long trials = 1000;
  uint64_t seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--shards")
      shard_counts = parse_list(argv[i + 1]);
    else if (flag == "--vnodes")
      vnode_counts = parse_list(argv[i + 1]);
    else if (flag == "--trials")
      trials = parse_list(argv[i + 1]).at(0);
    else if (flag == "--seed")
      seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (flag == "--load-max-ratio")
      load_max_ratio = std::strtod(argv[i + 1], nullptr);
    else {
      std::fprintf(stderr, "unknown flag %s\n", argv[i]);
      return 2;
    }
  }
  std::printf("# %ld trials per row, seed %llu, %u slots, load cap %.3f x mean\n", trials,
              static_cast<unsigned long long>(seed), constants::cluster_slots, load_max_ratio);
  std::printf("%6s %6s | %-13s | %-22s | %-22s | %-17s | %s\n", "shards", "vnodes", "max/mean",
              "join moved/ideal", "leave moved/ideal", "compute us", "ranges");
  std::printf("%6s %6s | %6s %6s | %5s %5s %5s %4s | %5s %5s %5s %4s | %8s %8s | %6s\n", "", "",
              "worst", "median", "mean", "p5", "p95", "10%", "mean", "p5", "p95", "10%", "median",
              "max", "median");
  Rng rng(seed);
  for (long vnodes : vnode_counts) {
    for (long shards : shard_counts) {
      measure(static_cast<size_t>(shards), static_cast<uint32_t>(vnodes), static_cast<int>(trials),
              rng);
    }
  }
  return 0;
}
