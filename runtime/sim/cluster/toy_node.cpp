// A tiny RESP server on the Runtime (SET/GET/DEL/INCR/EXPIRE/PEXPIRE/PING), for testing the
// simulator itself: its checkers must pass it, and must catch it when a bug is switched on
// with the `toy-bug` option: "stale-read" (GET sometimes answers the value before the last
// write), "ignore-expiry" (expired keys are still returned), "lose-write" (SET sometimes
// acknowledges without storing). Its `maxmemory` (bytes) is reported but never enforced, so the
// maxmemory checker must catch it.

#include <fmt/format.h>

#include <charconv>
#include <map>
#include <memory>
#include <string>

#include "runtime/sim/cluster/sim_node.h"
#include "runtime/sim/workload/resp.h"

namespace ringcache::sim {
namespace {

std::optional<int64_t> parse_int(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string bulk(std::string_view value) {
  return fmt::format("${}\r\n{}\r\n", value.size(), value);
}
std::string integer(int64_t value) { return fmt::format(":{}\r\n", value); }
const std::string ok = "+OK\r\n";
const std::string nil = "$-1\r\n";

class ToyNode final : public SimNode {
 public:
  ToyNode(Runtime& runtime, const NodeOptions& options) : runtime_(runtime) {
    for (const auto& [name, value] : options) {
      if (name == "port") port_ = static_cast<uint16_t>(parse_int(value).value_or(6379));
      if (name == "bind") bind_ = value;
      if (name == "toy-bug") bug_ = value;
      if (name == "maxmemory") maxmemory_ = static_cast<uint64_t>(parse_int(value).value_or(0));
    }
  }

  Status start() override {
    auto listener = runtime_.listen(bind_, port_);
    if (!listener) return listener.status();
    listener_ = std::move(listener.value());
    runtime_.spawn("accept", [this] { accept_loop(); });
    return Status::ok();
  }
  uint64_t used_memory() override {
    uint64_t bytes = 0;
    for (const auto& [key, entry] : data_) bytes += key.size() + entry.value.size() + 32;
    return bytes;
  }
  uint64_t maxmemory() override { return maxmemory_; }
  uint64_t keys() override { return data_.size(); }

 private:
  struct Entry {
    std::string value;
    int64_t expire_ms = -1;
  };

  void accept_loop() {
    for (;;) {
      auto stream = listener_->accept();
      if (!stream) return;
      std::shared_ptr<Stream> connection = std::move(stream.value());
      runtime_.spawn("conn", [this, connection] { serve(*connection); });
    }
  }

  void serve(Stream& stream) {
    RespParser parser;
    char buffer[4096];
    for (;;) {
      auto count = stream.read_some(buffer);
      if (!count) return;
      parser.feed(std::string_view(buffer, count.value()));
      std::string replies;
      for (;;) {
        auto request = parser.next();
        if (!request) return;
        if (!request.value()) break;
        replies += execute(*request.value());
      }
      if (!replies.empty() && !stream.write(replies)) return;
    }
  }

  Entry* find(const std::string& key) {
    auto found = data_.find(key);
    if (found == data_.end()) return nullptr;
    const bool expired =
        found->second.expire_ms >= 0 && found->second.expire_ms <= runtime_.wall_time_ms();
    if (expired && bug_ != "ignore-expiry") {
      data_.erase(found);
      return nullptr;
    }
    return &found->second;
  }

  std::string execute(const RespValue& request) {
    std::vector<std::string> argv;
    for (const RespValue& item : request.items) argv.push_back(item.text);
    if (argv.empty()) return "-ERR empty command\r\n";
    std::string name = argv[0];
    for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (name == "PING") return "+PONG\r\n";
    if (argv.size() < 2) return "-ERR wrong number of arguments\r\n";
    const std::string& key = argv[1];
    if (name == "GET") return get(key);
    if (name == "SET" && argv.size() >= 3) return set(argv);
    if (name == "DEL") return integer(find(key) ? (data_.erase(key), 1) : 0);
    if (name == "INCR") return incr(key);
    if ((name == "EXPIRE" || name == "PEXPIRE") && argv.size() == 3) {
      Entry* entry = find(key);
      auto amount = parse_int(argv[2]);
      if (!amount) return "-ERR value is not an integer or out of range\r\n";
      if (!entry) return integer(0);
      entry->expire_ms = runtime_.wall_time_ms() + *amount * (name == "EXPIRE" ? 1000 : 1);
      return integer(1);
    }
    return "-ERR unknown command\r\n";
  }

  std::string get(const std::string& key) {
    if (bug_ == "stale-read" && previous_.count(key) && runtime_.rng().chance(0.2)) {
      return bulk(previous_[key]);
    }
    Entry* entry = find(key);
    return entry ? bulk(entry->value) : nil;
  }

  std::string set(const std::vector<std::string>& argv) {
    int64_t expire_ms = -1;
    if (argv.size() == 5) {
      auto amount = parse_int(argv[4]);
      if (!amount) return "-ERR value is not an integer or out of range\r\n";
      expire_ms = runtime_.wall_time_ms() + *amount * (argv[3] == "EX" ? 1000 : 1);
    }
    if (bug_ == "lose-write" && runtime_.rng().chance(0.1)) return ok;
    if (Entry* old = find(argv[1])) previous_[argv[1]] = old->value;
    data_[argv[1]] = Entry{argv[2], expire_ms};
    return ok;
  }

  std::string incr(const std::string& key) {
    Entry* entry = find(key);
    int64_t value = 0;
    if (entry) {
      auto parsed = parse_int(entry->value);
      if (!parsed) return "-ERR value is not an integer or out of range\r\n";
      value = *parsed;
    }
    ++value;
    if (entry) {
      entry->value = std::to_string(value);
    } else {
      data_[key] = Entry{std::to_string(value), -1};
    }
    return integer(value);
  }

  Runtime& runtime_;
  uint16_t port_ = 6379;
  std::string bind_ = "0.0.0.0";
  std::string bug_;
  uint64_t maxmemory_ = 0;
  std::unique_ptr<Listener> listener_;
  std::map<std::string, Entry> data_;
  std::map<std::string, std::string> previous_;
};

}  // namespace

NodeFactory toy_node_factory() {
  return [](Runtime& runtime, const NodeOptions& options) -> Result<std::unique_ptr<SimNode>> {
    return std::unique_ptr<SimNode>(std::make_unique<ToyNode>(runtime, options));
  };
}

}  // namespace ringcache::sim
