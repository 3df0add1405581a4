#pragma once
// A move-only `void()` callable that keeps small captures inline: the timer queue stores one per
// timer, and std::function allocates for anything larger than two pointers (a network delivery
// captures a connection, a side and the network). Larger callables go to the heap, as with
// std::function.

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace ringcache::fiber {

class Callback {
 public:
  static constexpr size_t inline_bytes = 48;

  Callback() = default;
  template <typename Fn, typename = std::enable_if_t<!std::is_same_v<std::decay_t<Fn>, Callback> &&
                                                     std::is_invocable_r_v<void, Fn&>>>
  Callback(Fn&& fn) {  // NOLINT(google-explicit-constructor): takes lambdas like std::function
    using F = std::decay_t<Fn>;
    if constexpr (fits_inline<F>()) {
      ::new (static_cast<void*>(storage_)) F(std::forward<Fn>(fn));
      ops_ = &inline_ops<F>;
    } else {
      ::new (static_cast<void*>(storage_)) F*(new F(std::forward<Fn>(fn)));
      ops_ = &heap_ops<F>;
    }
  }
  Callback(Callback&& other) noexcept { take(other); }
  Callback& operator=(Callback&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  Callback(const Callback&) = delete;
  Callback& operator=(const Callback&) = delete;
  ~Callback() { reset(); }

  explicit operator bool() const { return ops_ != nullptr; }
  void operator()() { ops_->call(storage_); }
  void reset() {
    if (ops_ == nullptr) return;
    ops_->destroy(storage_);
    ops_ = nullptr;
  }

 private:
  struct Ops {
    void (*call)(void* storage);
    void (*move)(void* from, void* to);  // move-constructs at `to`, destroys `from`
    void (*destroy)(void* storage);
  };

  template <typename F>
  static constexpr bool fits_inline() {
    return sizeof(F) <= inline_bytes && alignof(F) <= alignof(std::max_align_t) &&
           std::is_nothrow_move_constructible_v<F>;
  }
  template <typename F>
  static constexpr Ops inline_ops = {[](void* storage) { (*static_cast<F*>(storage))(); },
                                     [](void* from, void* to) {
                                       ::new (to) F(std::move(*static_cast<F*>(from)));
                                       static_cast<F*>(from)->~F();
                                     },
                                     [](void* storage) { static_cast<F*>(storage)->~F(); }};
  template <typename F>
  static constexpr Ops heap_ops = {
      [](void* storage) { (**static_cast<F**>(storage))(); },
      [](void* from, void* to) { ::new (to) F*(*static_cast<F**>(from)); },
      [](void* storage) { delete *static_cast<F**>(storage); }};

  void take(Callback& other) {
    ops_ = std::exchange(other.ops_, nullptr);
    if (ops_ != nullptr) ops_->move(other.storage_, storage_);
  }

  alignas(std::max_align_t) unsigned char storage_[inline_bytes];
  const Ops* ops_ = nullptr;
};

}  // namespace ringcache::fiber
