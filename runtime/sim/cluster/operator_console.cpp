#include "runtime/sim/cluster/operator_console.h"

#include "runtime/sim/host.h"
#include "runtime/sim/simulation.h"

namespace ringcache::sim {

SimRuntime& OperatorConsole::runtime() {
  if (runtime_ == nullptr) runtime_ = &sim_.boot(sim_.add_host("o0", "10.0.2.1"));
  return *runtime_;
}

void OperatorConsole::schedule(int64_t at_ns, const char* name, std::function<void()> action) {
  SimRuntime& process = runtime();
  sim_.world().at(at_ns, name, [&process, name, action = std::move(action)] {
    process.spawn(name, action);
  });
}

std::optional<RespValue> OperatorConsole::ask(int node, const std::vector<std::string>& argv) {
  const Host& host = cluster_.host(node);
  auto stream = runtime().connect(host.ip, cluster_.options().port);
  if (!stream) return std::nullopt;
  Stream& connection = *stream.value();
  // A reply that does not come within the timeout ends the attempt.
  struct Timeout {  // cancelled also when a crash unwinds this fiber
    World& world;
    World::EventKey key;
    ~Timeout() { world.cancel(key); }
  } timeout{sim_.world(), sim_.world().after(request_timeout_ns_, "operator.timeout",
                                             [&connection] { connection.close(); })};
  RespParser parser;
  std::optional<RespValue> reply;
  if (connection.write(encode_command(argv))) {
    char buffer[512];
    while (!reply) {
      auto parsed = parser.next();
      if (!parsed) break;
      if (parsed.value()) {
        reply = std::move(*parsed.value());
        break;
      }
      auto count = connection.read_some(buffer);
      if (!count) break;
      parser.feed(std::string_view(buffer, count.value()));
    }
  }
  connection.close();
  return reply;
}

}  // namespace ringcache::sim
