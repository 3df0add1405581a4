#include "core/server/pubsub/push_delivery.h"

#include "core/constants.h"
#include "core/server/clients/output_limits.h"

namespace ringcache::server {

void PushDelivery::deliver(Client& target, std::string_view bytes, Placement placement) {
  if (&target == executing_.client && (placement == Placement::in_line || executing_.admitting)) {
    executing_.reply->raw(bytes);
    return;
  }
  target.pushes.append(bytes);
  const size_t pending = pending_output_bytes(target);
  if (pending > constants::push_output_bytes_max ||
      output_limit_broken(limits_, target, pending, runtime_.now())) {
    return disconnect_over_limit(target);
  }
  // The running client's connection sends its pushes itself after the command.
  if (&target != executing_.client && target.pushes_ready) target.pushes_ready();
}

void PushDelivery::disconnect_over_limit(Client& target) {
  runtime_.log(LogLevel::warning, output_limit_log_line(target));
  target.pushes.clear();
  target.pushes.shrink_to_fit();
  target.close_after_reply = true;
  // Another client's connection closes now; the running client's after this command.
  if (&target != executing_.client && target.kill) target.kill();
}

}  // namespace ringcache::server
