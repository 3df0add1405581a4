// Progress bar drawing.

#include "tools/trace/progress.h"

#include <fmt/format.h>

#include <cstdio>

namespace ringcache::trace_tool {

void ProgressBar::start(const std::string& label, uint64_t total) {
  label_ = label;
  total_ = total;
  last_ = {};
  update(0);
}

void ProgressBar::update(uint64_t done) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  std::string line;
  if (total_ > 0) {
    const double share = std::min(1.0, static_cast<double>(done) / static_cast<double>(total_));
    const int filled = static_cast<int>(share * 30);
    line = fmt::format("\r{:<36} [{}{}] {:5.1f}%", label_, std::string(filled, '#'),
                       std::string(30 - filled, '.'), share * 100);
  } else {
    line = fmt::format("\r{:<36} {} requests", label_, done);
  }
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::clear() {
  if (!drawn_) return;
  std::fputs(fmt::format("\r{:80}\r", "").c_str(), stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace ringcache::trace_tool
