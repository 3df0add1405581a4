// ACL options: aclfile (where ACL LOAD/SAVE read and write users), acllog-max-len (ACL LOG's
// bound) and acl-pubsub-default (the channels new users start with).

#include "core/server/config/config_options.h"

namespace ringcache::server {

std::vector<Option> acl_options() {
  return {
      {"acl-pubsub-default", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_choice(v, {"allchannels", "resetchannels"}),
                      [&](const std::string& choice) {
                        c.acl_pubsub_all_channels = choice == "allchannels";
                      });
       },
       [](const Config& c) {
         return std::string(c.acl_pubsub_all_channels ? "allchannels" : "resetchannels");
       }},
      {"aclfile", false, false,
       [](Config& c, std::string_view v) {
         c.aclfile = std::string(v);
         return Status::ok();
       },
       [](const Config& c) { return c.aclfile; }},
      {"acllog-max-len", true, false,
       [](Config& c, std::string_view v) {
         return store(parse_bounded_int(v, 0, long_long_max),
                      [&](int64_t n) { c.acllog_max_len = n; });
       },
       [](const Config& c) { return number(c.acllog_max_len); }},
  };
}

}  // namespace ringcache::server
