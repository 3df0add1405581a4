#pragma once
// The results of a sweep (one row per policy and cache size) as a table for people, CSV for
// scripts, and an SVG miss-ratio curve (one line per policy).

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace ringcache::trace_tool {

struct ResultRow {
  std::string policy;
  uint64_t cache_size = 0;
  uint64_t requests = 0;
  double miss_ratio = 0;
  double byte_miss_ratio = 0;
  double mreq_per_s = 0;
};

void write_csv(std::ostream& out, const std::vector<ResultRow>& rows);
void write_table(std::ostream& out, const std::vector<ResultRow>& rows);
// `unit` labels the x axis ("objects" or "bytes"); `title` heads the plot.
void write_svg(std::ostream& out, const std::vector<ResultRow>& rows, const std::string& unit,
               const std::string& title);

}  // namespace ringcache::trace_tool
