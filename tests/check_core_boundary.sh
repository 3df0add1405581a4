#!/usr/bin/env bash
# Fails when anything under core/ reaches past core/runtime.h: OS headers, Asio/Boost, runtime/,
# real clocks, OS randomness, threads and their locks and atomics, signals, the environment,
# console or file streams. Prints each offending line.
set -u
core_dir=${1:?usage: check_core_boundary.sh CORE_DIR}
banned='#include[[:space:]]*[<"](boost/|asio|runtime/|sys/|unistd\.h|fcntl\.h|netinet/|arpa/|pthread\.h|thread>|mutex>|shared_mutex>|condition_variable>|atomic>|future>|iostream>|fstream>|random>|ctime>|time\.h|csignal>|signal\.h|dirent\.h|filesystem>)'
banned_calls='(steady_clock|system_clock|high_resolution_clock)::now|std::random_device|[^_a-z]rand\(|[^_a-z]srand\(|std::thread|std::jthread|std::async|this_fiber|getenv|fopen\(|[^_a-z]time\(nullptr\)'
found=$(grep -rnE --include='*.h' --include='*.cpp' "$banned|$banned_calls" "$core_dir")
if [ -n "$found" ]; then
  echo "core/ must reach the OS only through core/runtime.h; offending lines:"
  echo "$found"
  exit 1
fi
echo "core boundary clean"
