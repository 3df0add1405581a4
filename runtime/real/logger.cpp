#include "runtime/real/logger.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "runtime/real/real_runtime.h"

namespace ringcache::real {

std::string format_log_line(int pid, LogLevel level, int64_t wall_time_us,
                            std::string_view message) {
  static constexpr char level_marks[] = {'.', '-', '*', '#'};  // debug, verbose, notice, warning
  std::time_t seconds = static_cast<std::time_t>(wall_time_us / 1'000'000);
  auto millis = static_cast<int>((wall_time_us / 1000) % 1000);
  std::tm local{};
  ::localtime_r(&seconds, &local);
  char stamp[64];
  size_t length = std::strftime(stamp, sizeof stamp, "%d %b %Y %H:%M:%S", &local);
  char prefix[128];
  std::snprintf(prefix, sizeof prefix, "%d:M %.*s.%03d %c ", pid, static_cast<int>(length), stamp,
                millis, level_marks[static_cast<int>(level)]);
  std::string line(prefix);
  line.append(message);
  line.push_back('\n');
  return line;
}

Logger::~Logger() {
  if (out_ != stdout) std::fclose(out_);
}

Status Logger::open(const std::string& path) {
  pid_ = static_cast<int>(::getpid());
  if (path.empty()) return Status::ok();
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (file == nullptr) {
    return {Errc::invalid_argument,
            "can't open the log file '" + path + "': " + std::strerror(errno)};
  }
  if (out_ != stdout) std::fclose(out_);
  out_ = file;
  return Status::ok();
}

void Logger::write(LogLevel level, int64_t wall_time_us, std::string_view message) {
  if (level < level_) return;
  std::string line = format_log_line(pid_, level, wall_time_us, message);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

void Logger::flush() { std::fflush(out_); }

}  // namespace ringcache::real
