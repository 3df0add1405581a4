#pragma once
// Generated workloads, all from one seed: a mixture of access patterns over N objects, with object
// sizes drawn from a distribution (a function of the object and the seed, so an object keeps its
// size). Patterns, written "name[:param...][@weight]" and joined by commas:
//
//   zipf:ALPHA            Zipf popularity over the N objects (rank 1 the most popular)
//   uniform               every object equally likely
//   scan                  objects never seen before, one after another (one-hit wonders)
//   loop[:LENGTH]         objects 0..LENGTH-1 cyclically (default N)
//   hotset:ALPHA:PERIOD   Zipf whose popular set moves to other objects every PERIOD requests
//
// e.g. "zipf:0.9@0.8,scan@0.2". Sizes: "fixed:BYTES", "uniform:MIN:MAX",
// "lognormal:MEDIAN:SIGMA".

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "lab/trace.h"

namespace ringcache::lab {

enum class PatternKind { zipf, uniform, scan, loop, hotset };

struct Pattern {
  PatternKind kind = PatternKind::zipf;
  double alpha = 1.0;
  uint64_t length = 0;  // loop length, or hot-set period
  double weight = 1.0;
};

struct SizeDistribution {
  enum Kind { fixed, uniform, lognormal } kind = fixed;
  uint64_t min = 1;
  uint64_t max = 1;
  double median = 1;
  double sigma = 0;
};

struct WorkloadSpec {
  std::vector<Pattern> patterns;
  uint64_t objects = 1000000;
  uint64_t requests = 10000000;
  uint64_t seed = 1;
  SizeDistribution sizes;
};

// Parsers for the two spec strings; on failure they return false and say why in `error`.
bool parse_patterns(std::string_view spec, std::vector<Pattern>& out, std::string& error);
bool parse_size_distribution(std::string_view spec, SizeDistribution& out, std::string& error);

// Generates the trace; `progress` (if set) hears the requests generated so far now and then.
Trace generate_workload(const WorkloadSpec& spec,
                        const std::function<void(uint64_t)>& progress = {});

}  // namespace ringcache::lab
