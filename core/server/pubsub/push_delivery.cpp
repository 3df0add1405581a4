#include "core/server/pubsub/push_delivery.h"

#include <fmt/format.h>

#include "core/constants.h"

namespace ringcache::server {

void PushDelivery::deliver(Client& target, std::string_view bytes, Placement placement) {
  if (&target == executing_.client && placement == Placement::in_line) {
    executing_.reply->raw(bytes);
    return;
  }
  target.pushes.append(bytes);
  if (target.pushes.size() + target.output_buffer_bytes > constants::push_output_bytes_max) {
    return disconnect_over_limit(target);
  }
  // The running client's connection sends its pushes itself after the command.
  if (&target != executing_.client && target.pushes_ready) target.pushes_ready();
}

void PushDelivery::disconnect_over_limit(Client& target) {
  runtime_.log(LogLevel::warning,
               fmt::format("Client id={} addr={} closed for overcoming of output buffer limits.",
                           target.id, target.address));
  target.pushes.clear();
  target.pushes.shrink_to_fit();
  target.close_after_reply = true;
  // Another client's connection closes now; the running client's after this command.
  if (&target != executing_.client && target.kill) target.kill();
}

}  // namespace ringcache::server
