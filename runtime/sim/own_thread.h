#pragma once
// Runs a function on a fresh OS thread and waits for it. A World installs its fiber scheduler on
// the thread it runs on; a thread of its own keeps one simulation from seeing another's fibers
// (tests run many simulations in one process, the CLI many seeds).

#include <exception>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

namespace ringcache::sim {

template <typename Fn>
auto on_own_thread(Fn&& fn) -> std::invoke_result_t<Fn> {
  using R = std::invoke_result_t<Fn>;
  std::exception_ptr error;
  if constexpr (std::is_void_v<R>) {
    std::thread([&] {
      try {
        fn();
      } catch (...) {
        error = std::current_exception();
      }
    }).join();
    if (error) std::rethrow_exception(error);
  } else {
    std::optional<R> result;
    std::thread([&] {
      try {
        result.emplace(fn());
      } catch (...) {
        error = std::current_exception();
      }
    }).join();
    if (error) std::rethrow_exception(error);
    return std::move(*result);
  }
}

}  // namespace ringcache::sim
