#pragma once
// What a write command leaves for the AOF and for replicas: by default the command itself, as the
// client sent it; a command whose argv would not replay to the same effect (relative TTLs, SPOP's
// random choice, blocking pops, INCRBYFLOAT's float formatting) states the deterministic commands
// that describe what it did instead (SET .. PXAT, SREM, LPOP, SET .. KEEPTTL).
//
// Dispatch calls begin_command() before a handler runs and reads the outcome after it; a write is
// propagated only when the command changed the dataset (Server::dirty() moved).

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ringcache::server {

class Propagation {
 public:
  using Command = std::vector<std::string>;

  void begin_command() {
    replaced_ = false;
    commands_.clear();
  }
  // Propagate `argv` in place of the running command. Called several times, the commands are
  // propagated in call order (as one MULTI/EXEC block when there is more than one).
  void replace_with(std::span<const std::string_view> argv) {
    replaced_ = true;
    commands_.emplace_back(argv.begin(), argv.end());
  }
  void replace_with(std::initializer_list<std::string_view> argv) {
    replace_with(std::span<const std::string_view>(argv.begin(), argv.size()));
  }

  // Propagate nothing for the running command but what replace_with adds (XREADGROUP states its
  // effects as XCLAIM and XGROUP commands, and a history read changes nothing to replay).
  void replace_with_nothing() { replaced_ = true; }

  bool replaced() const { return replaced_; }
  const std::vector<Command>& commands() const { return commands_; }

 private:
  bool replaced_ = false;
  std::vector<Command> commands_;
};

}  // namespace ringcache::server
