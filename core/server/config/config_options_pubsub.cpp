// Pub/sub and client-side caching options: notify-keyspace-events (which keyspace notifications
// are published) and tracking-table-max-keys (the bound of CLIENT TRACKING's key table).

#include "core/server/config/config_options.h"
#include "core/server/pubsub/keyspace_events.h"

namespace ringcache::server {

std::vector<Option> pubsub_options() {
  return {
      {"notify-keyspace-events", true, false,
       [](Config& c, std::string_view v) {
         const std::optional<uint32_t> classes = parse_keyspace_events(v);
         if (!classes) {
           return Status(Errc::invalid_argument,
                         "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
         }
         c.notify_keyspace_events = *classes;
         return Status::ok();
       },
       [](const Config& c) { return format_keyspace_events(c.notify_keyspace_events); }},
      {"tracking-table-max-keys", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 0, long_long_max),
                      [&](int64_t n) { c.tracking_table_max_keys = n; });
       },
       [](const Config& c) { return number(c.tracking_table_max_keys); }},
  };
}

}  // namespace ringcache::server
