#pragma once
// Redis-style log lines to standard output or a file (private to runtime/real).

#include <cstdio>
#include <string>
#include <string_view>

#include "core/runtime.h"

namespace ringcache::real {

class Logger {
 public:
  Logger() = default;
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;
  ~Logger();

  // Empty path: standard output. Errors: invalid_argument naming the file.
  Status open(const std::string& path);
  void set_level(LogLevel level) { level_ = level; }
  // Each line is flushed at once: logs are rare and must survive a crash or _exit.
  void write(LogLevel level, int64_t wall_time_us, std::string_view message);
  void flush();

 private:
  std::FILE* out_ = stdout;
  LogLevel level_ = LogLevel::notice;
  int pid_ = 0;
};

}  // namespace ringcache::real
