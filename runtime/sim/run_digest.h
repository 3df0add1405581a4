#pragma once
// The run's digest: a 64-bit hash folded over every event (scheduling decision, delivery, timer,
// disk operation, client reply, log line) and an event count, printed as `trace=` in the summary
// line. Two runs of one seed must end with the same hash; the first event where they differ is
// found by diffing their event logs (--trace FILE). Not to be confused with cache traces (lab/).
//
// An FNV-1a-style multiply-xor over 64-bit words (bytes are read eight at a time, little-endian):
// our own, so the hash is the same with every compiler and standard library.

#include <bit>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>

namespace ringcache::sim {

class RunDigest {
 public:
  // A readable log of events, one line each (the CLI's --trace FILE); none by default because
  // formatting every event costs more than the simulation itself.
  using Sink = std::function<void(std::string_view line)>;

  void set_sink(Sink sink) { sink_ = std::move(sink); }
  bool verbose() const { return static_cast<bool>(sink_); }

  // Folds one event: a kind tag, the virtual time and up to three numbers.
  void event(std::string_view kind, int64_t time_ns, uint64_t a = 0, uint64_t b = 0,
             uint64_t c = 0) {
    ++events_;
    fold_bytes(kind);
    fold(static_cast<uint64_t>(time_ns));
    fold(a);
    fold(b);
    fold(c);
  }
  // Folds bytes (payloads, replies, log lines) without counting an event.
  void fold_bytes(std::string_view bytes) {
    size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) fold(load_le(bytes.data() + i, 8));
    fold(load_le(bytes.data() + i, bytes.size() - i) ^ (uint64_t{bytes.size()} << 56));
  }
  void fold(uint64_t word) {
    hash_ = (hash_ ^ word) * prime;
    hash_ ^= hash_ >> 32;
  }
  // Writes a line to the readable log, if one is open. `line` is built only when verbose().
  void note(int64_t time_ns, std::string_view line);

  uint64_t hash() const { return hash_; }
  uint64_t events() const { return events_; }
  // The hash as 16 lower-case hex digits, as the summary line prints it.
  std::string hash_hex() const;

 private:
  // The first `count` (<= 8) bytes as a little-endian word, zero-padded: one load on
  // little-endian machines, the same value on big-endian ones.
  static uint64_t load_le(const char* bytes, size_t count) {
    uint64_t word = 0;
    std::memcpy(&word, bytes, count);
    if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
    return word;
  }
  static constexpr uint64_t prime = 0x100000001b3ULL;
  uint64_t hash_ = 0xcbf29ce484222325ULL;
  uint64_t events_ = 0;
  Sink sink_;
};

// "12.345678901s": virtual time for logs, fixed width after the point so logs diff cleanly.
std::string format_time(int64_t time_ns);

}  // namespace ringcache::sim
