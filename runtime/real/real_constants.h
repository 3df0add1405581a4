#pragma once
// Limits and tunables of the production runtime. Units come last in names.

#include <cstddef>
#include <cstdint>

namespace ringcache::real::constants {

// Stack of every spawned fiber, plus one guard page below it (protected_fixedsize_stack), so an
// overflow faults instead of silently corrupting a neighbour. Node code keeps frames small, but a
// connection's fiber also runs its client's Lua scripts, and Lua 5.1 nests up to 200 C calls
// (pcall in pcall, the parser on nested expressions, metamethods) at about 1 KB of C stack each:
// 64 KB overflowed. The stack is mapped, not touched: a fiber that stays shallow keeps the few
// resident pages it always had.
inline constexpr size_t fiber_stack_bytes = 1024 * 1024;
// listen(2) backlog (Redis tcp-backlog default).
inline constexpr int listen_backlog = 511;
// connect() gives up after this long with Errc::timed_out.
inline constexpr int64_t connect_timeout_ms = 5000;
// Longest single wait of the event loop for I/O; bounds how stale a stop predicate can get.
inline constexpr int64_t loop_wait_max_ms = 500;
// Before sleeping in epoll, the loop keeps asking for ready I/O (non-blocking) for this long:
// waking a sleeping server costs its client CPU, so a request arriving within the window comes
// free, for at most this much server CPU per idle period (measurements: bench/README.md).
inline constexpr int64_t loop_poll_before_sleep_ns = 5'000;
// accept() after EMFILE/ENFILE/ENOBUFS/ENOMEM waits this long before trying again.
inline constexpr int64_t accept_retry_delay_ms = 10;
// A closed stream keeps reading (and discarding) what the peer still sends for at most this long
// and this many bytes, so unread input does not turn the close into a RST that could destroy a
// final reply ("-ERR Protocol error") before the peer reads it.
inline constexpr int64_t close_linger_ms = 1000;
inline constexpr size_t close_drain_bytes_max = 1024 * 1024;
inline constexpr size_t close_drain_chunk_bytes = 4096;

static_assert(fiber_stack_bytes >= 16 * 1024, "node code needs room for fmt and the parser");
static_assert(close_drain_chunk_bytes <= close_drain_bytes_max);

}  // namespace ringcache::real::constants
