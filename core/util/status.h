#pragma once
// Status and Result<T>: what can go wrong at run time is returned as a value, never thrown.

#include <string>
#include <utility>
#include <variant>

#include "core/util/assert.h"

namespace ringcache {

enum class Errc {
  ok = 0,
  closed,            // the peer closed the stream, or it was closed locally
  reset,             // the connection was reset (by the peer or by an injected fault)
  refused,           // nothing listens at the address, or the host is unreachable
  timed_out,         // a deadline passed
  address_in_use,    // listen: the port is taken
  io_error,          // disk: EIO or similar
  no_space,          // disk: ENOSPC
  not_found,         // file or directory does not exist
  invalid_argument,  // bad input to a call
  corrupt,           // data failed a checksum or could not be parsed
};

const char* errc_name(Errc code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Errc code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status ok() { return {}; }

  bool is_ok() const { return code_ == Errc::ok; }
  explicit operator bool() const { return is_ok(); }
  Errc code() const { return code_; }
  const std::string& message() const { return message_; }
  // "io_error: fsync failed" — for logs.
  std::string to_string() const;

 private:
  Errc code_ = Errc::ok;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {  // NOLINT
    RING_ASSERT_MSG(!std::get<Status>(state_).is_ok(), "a Result error must not be ok");
  }
  Result(Errc code, std::string message) : Result(Status(code, std::move(message))) {}

  bool is_ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return is_ok(); }

  T& value() & {
    RING_ASSERT(is_ok());
    return std::get<T>(state_);
  }
  T&& value() && {
    RING_ASSERT(is_ok());
    return std::get<T>(std::move(state_));
  }
  const T& value() const& {
    RING_ASSERT(is_ok());
    return std::get<T>(state_);
  }
  T* operator->() { return &value(); }
  T& operator*() { return value(); }

  Status status() const { return is_ok() ? Status::ok() : std::get<Status>(state_); }
  Errc code() const { return is_ok() ? Errc::ok : std::get<Status>(state_).code(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace ringcache
