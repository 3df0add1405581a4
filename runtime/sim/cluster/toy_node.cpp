// A tiny RESP server on the Runtime (SET/GET/DEL/INCR/EXPIRE/PEXPIRE/PING), for testing the
// simulator itself: its checkers must pass it, and must catch it when a bug is switched on
// with the `toy-bug` option: "stale-read" (GET sometimes answers the value before the last
// write), "ignore-expiry" (expired keys are still returned), "lose-write" (SET sometimes
// acknowledges without storing). Its `maxmemory` (bytes) is reported but never enforced, so the
// maxmemory checker must catch it.
//
// With `cluster-enabled yes` it is a toy cluster with a fixed map: the members are the hosts of
// `cluster-seeds` in order (a node not among them is no member and redirects every key), each owning an equal run of slots (no gossip, no failures), and a
// key of another member's slot is answered -MOVED. It lets the simulator's cluster clients,
// monitor and checkers test themselves without the real node's cluster. Its bugs:
// "serve-any-slot" (answers keys of every slot and tells clients it serves them all; its view
// still owns only its own) and
// "claim-every-slot" (its view says it owns every slot, while it serves only its own).

#include <fmt/format.h>

#include <charconv>
#include <map>
#include <memory>
#include <string>

#include "core/cluster/key_slot.h"
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
      if (name == "cluster-enabled") cluster_ = value == "yes";
      if (name == "cluster-seeds") seeds_ = value;
    }
    if (cluster_) read_members();
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

  std::optional<ClusterView> cluster_view() override {
    if (!cluster_) return std::nullopt;
    const bool member = me_ != not_member;
    ClusterView view;
    view.my_id = member ? shard_id(me_) : fmt::format("{:040x}", 0);
    view.shard_id = view.my_id;  // one primary per shard, named after it
    view.epoch = 1;
    view.member = member;
    view.serving = member;
    view.accepts_writes = member;
    return view;
  }
  void cluster_slot_owners(std::vector<std::string>& shards,
                           std::vector<uint16_t>& owners) override {
    shards.clear();
    owners.assign(constants::cluster_slots, 0);
    for (size_t i = 0; i < members_.size(); ++i) shards.push_back(shard_id(i));
    for (uint32_t slot = 0; slot < constants::cluster_slots; ++slot) {
      owners[slot] = static_cast<uint16_t>(bug_ == "claim-every-slot" ? me_ : owner_of(slot));
    }
  }
  std::vector<std::string> cluster_known_ids() override {
    std::vector<std::string> ids;
    for (size_t i = 0; i < members_.size(); ++i) ids.push_back(shard_id(i));
    return ids;
  }

 private:
  struct Entry {
    std::string value;
    int64_t expire_ms = -1;
  };

  static std::string shard_id(size_t member) { return fmt::format("{:040x}", member + 1); }

  void read_members() {
    std::string_view rest = seeds_;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      std::string_view seed = rest.substr(0, comma);
      members_.emplace_back(seed.substr(0, seed.find(':')));
      if (members_.back() == bind_) me_ = members_.size() - 1;
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    if (members_.empty()) {
      members_.push_back(bind_);
      me_ = 0;
    }
  }

  size_t owner_of(uint32_t slot) const {
    return static_cast<size_t>(uint64_t{slot} * members_.size() / constants::cluster_slots);
  }

  // CLUSTER SLOTS: each member's run, served at its address and this node's port.
  std::string cluster_slots() const {
    if (bug_ == "serve-any-slot") {
      return fmt::format("*1\r\n*3\r\n{}{}*3\r\n{}{}{}", integer(0),
                         integer(constants::cluster_slots - 1), bulk(bind_), integer(port_),
                         bulk(shard_id(me_)));
    }
    std::string out = fmt::format("*{}\r\n", members_.size());
    for (size_t i = 0; i < members_.size(); ++i) {
      const uint64_t first = (i * constants::cluster_slots + members_.size() - 1) / members_.size();
      const uint64_t end = ((i + 1) * constants::cluster_slots + members_.size() - 1) /
                           members_.size();
      out += fmt::format("*3\r\n{}{}*3\r\n{}{}{}", integer(static_cast<int64_t>(first)),
                         integer(static_cast<int64_t>(end - 1)), bulk(members_[i]), integer(port_),
                         bulk(shard_id(i)));
    }
    return out;
  }

  // -MOVED when the key's slot belongs to another member.
  std::optional<std::string> redirect(const std::string& key) const {
    if (!cluster_ || bug_ == "serve-any-slot") return std::nullopt;
    const cluster::Slot slot = cluster::key_slot(key);
    const size_t owner = owner_of(slot);
    if (owner == me_) return std::nullopt;
    return fmt::format("-MOVED {} {}:{}\r\n", slot, members_[owner], port_);
  }

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
    if (name == "ASKING") return ok;
    if (argv.size() < 2) return "-ERR wrong number of arguments\r\n";
    if (name == "CLUSTER" && cluster_) return cluster_slots();
    const std::string& key = argv[1];
    if (auto moved = redirect(key)) return *moved;
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
  bool cluster_ = false;
  std::string seeds_;
  std::vector<std::string> members_;  // cluster: member addresses in seed order
  static constexpr size_t not_member = SIZE_MAX;
  size_t me_ = not_member;  // this node's place in members_
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
