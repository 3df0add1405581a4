// ringcache-server [config-file] [--name value ...]: one cache node on the production runtime.
// The command line works as redis-server's: an optional config file first (redis.conf syntax),
// then options that override it.

#include <unistd.h>

#include <boost/asio/signal_set.hpp>
#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "core/constants.h"
#include "core/server/config/config.h"
#include "core/node/node.h"
#include "runtime/real/real_runtime.h"

namespace ringcache {
namespace {

constexpr int exit_failure = 1;

void print_usage() {
  std::printf(
      "Usage: ringcache-server [/path/to/ringcache.conf] [options]\n"
      "       ringcache-server -v or --version\n"
      "       ringcache-server -h or --help\n\n"
      "Options use redis.conf names; the command line overrides the file. Examples:\n"
      "       ringcache-server (run with the default configuration)\n"
      "       ringcache-server /etc/ringcache/6379.conf\n"
      "       ringcache-server --port 7777\n"
      "       ringcache-server /etc/myring.conf --loglevel verbose --maxmemory 100mb\n");
}

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  std::exit(exit_failure);
}

std::string read_config_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    fail("Fatal error, can't open config file '" + path + "': " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) fail("Fatal error, can't read config file '" + path + "'");
  return text.str();
}

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  return ec ? path : absolute.string();
}

// The config file (if the first argument is not an option), then the command-line options.
server::Config load_config(const std::vector<std::string>& args) {
  server::Config config;
  size_t first_option = 0;
  if (!args.empty() && !args[0].starts_with("--")) {
    auto parsed = server::parse_config_text(read_config_file(args[0]));
    if (!parsed) fail("*** FATAL CONFIG FILE ERROR ***\n" + parsed.status().message());
    config = std::move(parsed).value();
    config.config_file = absolute_path(args[0]);
    first_option = 1;
  }
  std::vector<std::string> options(args.begin() + static_cast<std::ptrdiff_t>(first_option),
                                   args.end());
  auto applied = server::apply_command_line(options, std::move(config));
  if (!applied) fail("*** FATAL CONFIG ERROR ***\n" + applied.status().message());
  return std::move(applied).value();
}

LogLevel log_level_named(const std::string& name) {
  if (name == "debug") return LogLevel::debug;
  if (name == "verbose") return LogLevel::verbose;
  if (name == "warning") return LogLevel::warning;
  return LogLevel::notice;  // Config validated the name; "nothing" and "notice" map here
}

std::unique_ptr<real::RealRuntime> make_runtime(const server::Config& config) {
  std::error_code ec;
  if (!std::filesystem::is_directory(config.dir, ec)) {
    fail("Can't chdir to '" + config.dir + "': not a directory");
  }
  real::RealRuntimeOptions options;
  options.data_dir = config.dir;
  options.log_level = log_level_named(config.loglevel);
  options.log_file = config.logfile;
  auto runtime = real::make_real_runtime(std::move(options));
  if (!runtime) fail(runtime.status().message());
  return std::move(runtime).value();
}

int serve(const server::Config& config) {
  auto runtime = make_runtime(config);
  node::Node node(*runtime, config);
  if (Status status = node.start(); !status) {
    runtime->log(LogLevel::warning, "Failed to start: " + status.message());
    runtime->flush_logs();
    return exit_failure;
  }
  // Redis' "oO0OoO0OoO0Oo Redis is starting" line, with what an operator looks for first.
  runtime->log(LogLevel::notice,
               fmt::format("ringcache version={}, bits={}, port={}, pid={}, just started",
                           constants::ringcache_version, sizeof(void*) * 8, node.port(),
                           ::getpid()));

  // Signal handlers run in the loop's main fiber: they may close sockets, never suspend.
  boost::asio::signal_set signals(runtime->io_context(), SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    runtime->log(LogLevel::warning,
                 fmt::format("Received {} scheduling shutdown...", signal == SIGINT ? "SIGINT"
                                                                                    : "SIGTERM"));
    node.request_shutdown();
  });
  runtime->run_until([&] { return node.stopped(); });
  runtime->log(LogLevel::warning, "ringcache is now ready to exit, bye bye...");
  runtime->flush_logs();
  // A node that stopped on a fatal error (an AOF it could not load) exits as a failure.
  const int code = node.server().fatal_error() ? exit_failure : 0;
  if (runtime->live_fibers() != 0) {
    // Boost would wait for the leftover fibers at thread exit, forever: leave at once.
    std::fflush(nullptr);
    ::_exit(code);
  }
  return code;
}

}  // namespace
}  // namespace ringcache

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 1 && (args[0] == "-h" || args[0] == "--help")) {
    ringcache::print_usage();
    return 0;
  }
  if (args.size() == 1 && (args[0] == "-v" || args[0] == "--version")) {
    std::printf("ringcache server v=%s redis-compat=%s bits=%zu\n",
                ringcache::constants::ringcache_version,
                ringcache::constants::redis_compat_version, sizeof(void*) * 8);
    return 0;
  }
  // A write to a closed socket must come back as EPIPE, not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  ringcache::server::Config config = ringcache::load_config(args);
  std::error_code ec;
  config.executable = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  return ringcache::serve(std::move(config));
}
