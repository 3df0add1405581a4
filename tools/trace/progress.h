#pragma once
// A progress bar on standard error for long runs: redrawn at most a few times a second, only when
// standard error is a terminal (or when forced), and erased when done.

#include <chrono>
#include <cstdint>
#include <string>

namespace ringcache::trace_tool {

class ProgressBar {
 public:
  // `enabled`: draw at all (the caller decides from isatty and the flags).
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  ~ProgressBar() { clear(); }
  // What is being done, and how many units the whole job has (0: unknown).
  void start(const std::string& label, uint64_t total);
  void update(uint64_t done);
  void clear();

 private:
  bool enabled_;
  bool drawn_ = false;
  std::string label_;
  uint64_t total_ = 0;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace ringcache::trace_tool
