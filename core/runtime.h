#pragma once
// THE boundary between the cache and the world.
//
// Everything under core/ reaches clocks, fibers, sockets, files, randomness and logs through the
// interfaces in this header, and nothing else. Two implementations exist:
//   runtime/real  Boost.Asio + Boost.Fiber on one event-loop thread: production.
//   runtime/sim   a seeded, single-threaded simulator on virtual time with injected faults.
// Both sit above core/ and depend on it; core/ never includes anything from runtime/.
//
// Conventions for every call below:
//   * Calls that may wait ("suspending" calls) park only the calling fiber; other fibers of the
//     node keep running. Non-suspending calls never yield.
//   * Expected failures come back as Status/Result values; misuse (a precondition broken by the
//     caller) is an assertion.
//   * In the simulator a crashed node's fibers are unwound: any call on a crashed node's runtime
//     throws NodeCrashed, which core code must let propagate (catch (...) must rethrow it).
//     The real runtime never throws it.
//   * Threads: a node runs on one thread. Every call below, on the Runtime and on every object it
//     hands out (streams, listeners, sockets, files, wait queues), is made from that thread: from
//     one of the node's fibers, or, for non-suspending calls, from the thread's main fiber. None
//     is safe to call from another thread. (The real runtime may run a blocking system call on a
//     helper thread of its own, as it does for fsync; the caller only sees its fiber suspend.)
//   * Every method says whether it suspends and which Errc values it returns; a method that
//     names no errors returns none, and "Never suspends" is said where it matters to a caller.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/constants.h"
#include "core/util/rng.h"
#include "core/util/status.h"

namespace ringcache {

// ---------------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------------

// The clock behind Instant. It has no now(): time is read through Runtime::now() only.
struct MonotonicClock {
  using rep = int64_t;
  using period = std::nano;
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::time_point<MonotonicClock>;
  static constexpr bool is_steady = true;
};
using Nanos = std::chrono::nanoseconds;
using Instant = MonotonicClock::time_point;

// Thrown (by the simulator only) out of a runtime call made by a fiber of a crashed node.
struct NodeCrashed {};

enum class LogLevel { debug = 0, verbose = 1, notice = 2, warning = 3 };

// ---------------------------------------------------------------------------------------------
// Fiber synchronisation
// ---------------------------------------------------------------------------------------------

// A queue of parked fibers, the one blocking primitive core code uses (condition-variable
// style: wait, then re-check your condition). Timed waits run on the runtime's clock, so they
// work on virtual time in the simulator.
class WaitQueue {
 public:
  virtual ~WaitQueue() = default;
  // Suspending. Parks the calling fiber until notify_one/notify_all wakes it (returns true) or
  // the deadline passes (returns false). No deadline: waits until notified. Wake-ups may be
  // spurious; callers re-check the condition they wait for.
  virtual bool wait_until(std::optional<Instant> deadline) = 0;
  bool wait() { return wait_until(std::nullopt); }
  // Wake the longest-waiting fiber / every waiting fiber. Never suspends.
  virtual void notify_one() = 0;
  virtual void notify_all() = 0;
};

// ---------------------------------------------------------------------------------------------
// Network: reliable, ordered byte streams (TCP in production)
// ---------------------------------------------------------------------------------------------

class Stream {
 public:
  virtual ~Stream() = default;
  // Suspending. Waits for at least one byte and returns how many were copied into `buffer`
  // (1..buffer.size()). Errors: closed (orderly end of stream, or close() was called on this
  // stream, possibly by another fiber while this one waited), reset.
  virtual Result<size_t> read_some(std::span<char> buffer) = 0;
  // Suspending. Waits until read_some would return without waiting (bytes arrived, the stream
  // ended, broke or was closed), holding no buffer meanwhile: an idle reader keeps no memory.
  // May return early; read_some then waits as usual.
  virtual void wait_readable() = 0;
  // Suspending. Sends all of `data` (waits while the peer is slow). Errors: closed, reset.
  virtual Status write(std::string_view data) = 0;
  // Never suspends. Closes both directions; a fiber parked in read_some/write on this stream
  // wakes with Errc::closed. Idempotent.
  virtual void close() = 0;
  // "host:port" of the other end, for CLIENT LIST and logs.
  virtual std::string peer_address() const = 0;
  // "host:port" of this end.
  virtual std::string local_address() const = 0;
};

class Listener {
 public:
  virtual ~Listener() = default;
  // Suspending. Waits for the next incoming connection. Errors: closed (close() was called),
  // io_error (the OS refused to accept for a reason other than a transient shortage).
  virtual Result<std::unique_ptr<Stream>> accept() = 0;
  // Never suspends; a fiber parked in accept wakes with Errc::closed. Idempotent.
  virtual void close() = 0;
  // Never suspends. The port actually bound (useful when 0 was asked for).
  virtual uint16_t port() const = 0;
};

// ---------------------------------------------------------------------------------------------
// Network: TLS. The runtime encrypts and authenticates; the core still sees byte streams. A
// listener or connect asked for Transport::tls hands out streams that are TLS underneath, made
// with the settings of the last successful configure_tls. The handshake runs on the stream's
// first read or write, in the fiber that makes it, bounded in time; a failed handshake (a refused
// certificate, plain text on a TLS port, a timeout) is logged by the runtime and comes back from
// that read or write as Errc::reset. The simulator carries such streams as plain bytes.
// ---------------------------------------------------------------------------------------------

enum class Transport { plain, tls };

// tls-auth-clients: whether a client connecting to a TLS port must show a certificate signed by
// the configured CA (yes), may show one (optional: checked if shown), or is not asked (no).
enum class TlsClientAuth { no, yes, optional };

// The tls-* options of redis.conf, as the runtime needs them. Files are paths of the host (not
// under the data directory). The same certificate serves as the client certificate of outgoing
// TLS connections (replication, cluster), whose peers are checked against the same CA.
struct TlsSettings {
  std::string cert_file;
  std::string key_file;
  std::string key_file_pass;  // empty: the key is not encrypted
  std::string ca_cert_file;
  std::string ca_cert_dir;
  TlsClientAuth auth_clients = TlsClientAuth::yes;
  std::string protocols;     // "TLSv1.2 TLSv1.3" (space separated); empty: TLSv1.2 and TLSv1.3
  std::string ciphers;       // TLSv1.2 and below (OpenSSL cipher list); empty: OpenSSL's default
  std::string ciphersuites;  // TLSv1.3; empty: OpenSSL's default
  bool prefer_server_ciphers = false;
  bool session_caching = true;
  int64_t session_cache_size = constants::tls_session_cache_size_default;  // 0: OpenSSL's
  int64_t session_cache_timeout_s = constants::tls_session_cache_timeout_default_seconds;
  bool operator==(const TlsSettings&) const = default;
};

// ---------------------------------------------------------------------------------------------
// Network: datagrams (UDP in production). Each message arrives whole or not at all; messages may
// be lost, duplicated or reordered (in the simulator on purpose), so protocols built on them
// (gossip, failure detection) must tolerate all three. Nothing in core/ uses them yet: the
// cluster bus (core/cluster/) is their first caller.
// ---------------------------------------------------------------------------------------------

struct Datagram {
  std::string from;   // "host:port" of the sender
  std::string bytes;
};

class DatagramSocket {
 public:
  virtual ~DatagramSocket() = default;
  // Never suspends. Sends one message of at most constants::datagram_bytes_max bytes; success
  // means it left, not that it will arrive. Errors: invalid_argument (bad host, too large),
  // closed.
  virtual Status send_to(const std::string& host, uint16_t port, std::string_view message) = 0;
  // Suspending. The next message that arrived. Errors: timed_out (the deadline passed), closed
  // (close() was called, possibly by another fiber while this one waited).
  virtual Result<Datagram> receive(std::optional<Instant> deadline = std::nullopt) = 0;
  // Never suspends; a fiber parked in receive wakes with Errc::closed. Idempotent.
  virtual void close() = 0;
  // Never suspends. The port actually bound (useful when 0 was asked for).
  virtual uint16_t port() const = 0;
};

// ---------------------------------------------------------------------------------------------
// Disk: named files under the node's data directory. Paths are relative ("appendonlydir/x.aof").
// Appends are buffered by the OS until sync(); only synced bytes survive a crash, and in the
// simulator a crash may keep a torn prefix of unsynced bytes.
// Errors follow the OS's: not_found (no such file or directory), no_space (the disk or a quota
// is full), io_error (anything else). The simulator injects io_error on append, fsync, rename,
// remove, truncate and directory sync, and flips bits in reads (runtime/sim/sim_disk.h).
// ---------------------------------------------------------------------------------------------

class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Suspending. Appends `data` at the end. Errors: io_error, no_space.
  virtual Status append(std::string_view data) = 0;
  // Suspending. Makes everything appended so far durable (fsync). Errors: io_error.
  virtual Status sync() = 0;
  // Never suspends. Releases the file without syncing it (unsynced bytes stay as unsynced as
  // they were). Further calls on the file are bugs. Errors: io_error (the OS reported a failed
  // write-back; the file is released all the same).
  virtual Status close() = 0;
  // Never suspends. Bytes in the file, including appended but unsynced ones.
  virtual uint64_t size() const = 0;
};

class Disk {
 public:
  virtual ~Disk() = default;
  // Never suspends. Opens `path` for appending, creating it if needed; truncate=true empties it
  // first. Errors: not_found (a missing directory), no_space, io_error.
  virtual Result<std::unique_ptr<WritableFile>> open_append(const std::string& path,
                                                            bool truncate) = 0;
  // Suspending. Reads up to buffer.size() bytes at `offset`; returns the count (0 at end).
  // Errors: not_found, io_error. The simulator may flip bits here (corrupt reads).
  virtual Result<size_t> read(const std::string& path, uint64_t offset,
                              std::span<char> buffer) = 0;
  // Never suspends. Size of `path` in bytes, unsynced bytes included. Errors: not_found,
  // io_error.
  virtual Result<uint64_t> file_size(const std::string& path) = 0;
  // Never suspends. Cuts `path` to `size` bytes (used to drop a torn tail). Errors: not_found,
  // io_error.
  virtual Status truncate(const std::string& path, uint64_t size) = 0;
  // Never suspends. Atomically replaces `to` with `from`; durable only after sync_dir on the
  // directory. Errors: not_found (no `from`), io_error.
  virtual Status rename(const std::string& from, const std::string& to) = 0;
  // Never suspends. Removes a file; durable only after sync_dir. Errors: not_found, io_error.
  virtual Status remove(const std::string& path) = 0;
  // Never suspends. Creates a directory (and parents); ok if it exists. Errors: no_space,
  // io_error (a file of that name exists, or the OS refused).
  virtual Status make_dir(const std::string& path) = 0;
  // Never suspends. File names (not paths) directly inside `dir`, sorted by name. Errors:
  // not_found, io_error.
  virtual Result<std::vector<std::string>> list(const std::string& dir) = 0;
  // Suspending. Makes renames, creations and removals inside `dir` durable. Errors: not_found,
  // io_error (the entries stay unsynced: a crash may still lose them).
  virtual Status sync_dir(const std::string& dir) = 0;
};

// ---------------------------------------------------------------------------------------------
// The runtime of one node.
// ---------------------------------------------------------------------------------------------

class Runtime {
 public:
  virtual ~Runtime() = default;

  // --- time -----------------------------------------------------------------------------------
  // Neither clock call suspends.
  // Monotonic time: never goes backwards, unrelated to the calendar. For timeouts and intervals.
  virtual Instant now() = 0;
  // Wall-clock time in microseconds since the Unix epoch: for absolute expiry times, TIME,
  // and logs. May jump (NTP; clock faults in the simulator), so never use it for intervals.
  virtual int64_t wall_time_us() = 0;
  int64_t wall_time_ms() { return wall_time_us() / 1000; }

  // --- fibers ---------------------------------------------------------------------------------
  // Starts `body` on a new fiber of this node; it runs when the caller next suspends. An
  // exception escaping `body` (other than NodeCrashed) is a bug and stops the process.
  virtual void spawn(std::string name, std::function<void()> body) = 0;
  // Suspending. Parks the calling fiber until `deadline` on the monotonic clock.
  virtual void sleep_until(Instant deadline) = 0;
  void sleep_for(Nanos duration) { sleep_until(now() + duration); }
  // Suspending. Lets every other ready fiber run once, then continues.
  virtual void yield() = 0;
  // Never suspends. A new queue for this node's fibers.
  virtual std::unique_ptr<WaitQueue> make_wait_queue() = 0;

  // --- network --------------------------------------------------------------------------------
  // Never suspends. Binds and listens; with Transport::tls every accepted stream is TLS, made
  // with the settings current when it was accepted. Errors: address_in_use, invalid_argument
  // (bad host or address; TLS asked for before configure_tls succeeded), io_error (any other
  // refusal of the OS).
  virtual Result<std::unique_ptr<Listener>> listen(const std::string& host, uint16_t port,
                                                   Transport transport) = 0;
  Result<std::unique_ptr<Listener>> listen(const std::string& host, uint16_t port) {
    return listen(host, port, Transport::plain);
  }
  // Suspending, for at most the connect timeout. Errors: refused (any failure the peer or the
  // network reports), reset, timed_out, invalid_argument (a host that does not resolve; TLS
  // asked for before configure_tls succeeded). With Transport::tls the handshake happens on the
  // stream's first read or write (see "Network: TLS").
  virtual Result<std::unique_ptr<Stream>> connect(const std::string& host, uint16_t port,
                                                  Transport transport) = 0;
  Result<std::unique_ptr<Stream>> connect(const std::string& host, uint16_t port) {
    return connect(host, port, Transport::plain);
  }
  // Never suspends (reads the certificate and key files). Makes `settings` the TLS settings of
  // streams accepted or connected from now on; streams already open keep theirs. Errors:
  // invalid_argument (a file that cannot be read or does not fit, a bad protocol or cipher
  // list), the message saying which; the previous settings then stay. The simulator accepts any
  // settings and ignores them; a runtime without TLS refuses with invalid_argument.
  virtual Status configure_tls(const TlsSettings& settings) {
    return Status(Errc::invalid_argument, "TLS is not supported by this runtime");
  }
  // Never suspends. Binds a datagram socket. Errors: address_in_use, invalid_argument (bad host),
  // io_error. No caller in core/ yet: the cluster bus (core/cluster/) is the first.
  virtual Result<std::unique_ptr<DatagramSocket>> open_datagram(const std::string& host,
                                                                uint16_t port) = 0;

  // --- disk -----------------------------------------------------------------------------------
  // Never suspends. The node's data directory (redis.conf `dir`). All paths given to Disk are
  // relative to it.
  virtual Disk& disk() = 0;

  // --- randomness -----------------------------------------------------------------------------
  // Never suspends. This node's generator: from the OS in production, from the simulation seed
  // in the simulator.
  virtual Rng& rng() = 0;

  // --- logging --------------------------------------------------------------------------------
  // Writes one line, stamped with this node's clock. Never suspends.
  virtual void log(LogLevel level, std::string_view message) = 0;

  // --- process --------------------------------------------------------------------------------
  // None of these suspends.
  // Resident set size of the process in bytes (INFO used_memory_rss); 0 where unknown.
  virtual uint64_t process_rss_bytes() { return 0; }
  // The OS process id (INFO process_id); 0 where there is none (a simulated node).
  virtual int64_t process_id() { return 0; }
  // CPU time used so far (INFO cpu): by the whole process and by the thread that runs the node.
  // Zeros where unknown (a simulated node uses no CPU time of its own).
  struct CpuTime {
    int64_t user_us = 0;
    int64_t system_us = 0;
  };
  virtual CpuTime process_cpu_time() { return {}; }
  virtual CpuTime loop_thread_cpu_time() { return {}; }
  // The operating system as INFO's `os` field names it ("Linux 6.1.0 x86_64"); a fixed name in
  // the simulator, so its output does not depend on the machine.
  virtual std::string system_name() { return "ringcache-sim"; }

  // --- fault sites ----------------------------------------------------------------------------
  // Never suspends. A fault site inside the code, as FoundationDB's BUGGIFY: returns true when
  // the simulator wants the unusual path taken at `site` (enabled per run from the seed). Always
  // false in production. `site` must be a string literal that names the place.
  virtual bool buggify(std::string_view site) { return false; }
};

}  // namespace ringcache
