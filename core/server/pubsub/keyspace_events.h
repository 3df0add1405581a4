#pragma once
// Keyspace notifications (notify-keyspace-events): the event classes a command reports its
// changes under, as Redis names them by letter. Commands call Server::notify_keyspace_event with
// one class and the event name Redis uses ("set", "del", "lpush", "expired", ...).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ringcache::server {

enum KeyspaceEventClass : uint32_t {
  event_keyspace = 1u << 0,  // K: publish on __keyspace@<db>__:<key>
  event_keyevent = 1u << 1,  // E: publish on __keyevent@<db>__:<event>
  event_generic = 1u << 2,   // g: DEL, EXPIRE, RENAME, ...
  event_string = 1u << 3,    // $
  event_list = 1u << 4,      // l
  event_set = 1u << 5,       // s
  event_hash = 1u << 6,      // h
  event_zset = 1u << 7,      // z
  event_expired = 1u << 8,   // x
  event_evicted = 1u << 9,   // e
  event_stream = 1u << 10,   // t (no streams yet; accepted in the config string)
  event_key_miss = 1u << 11, // m
  event_module = 1u << 12,   // d
  event_new_key = 1u << 13,  // n
};

// "A": every class but K, E, m and n, as Redis' NOTIFY_ALL.
inline constexpr uint32_t event_all = event_generic | event_string | event_list | event_set |
                                      event_hash | event_zset | event_expired | event_evicted |
                                      event_stream | event_module;

// notify-keyspace-events as redis.conf and CONFIG SET spell it ("KEA", "Ex$"); nullopt for an
// unknown letter.
std::optional<uint32_t> parse_keyspace_events(std::string_view letters);
// The form CONFIG GET shows: Redis' letter order, "A" for all the classes it covers.
std::string format_keyspace_events(uint32_t classes);

}  // namespace ringcache::server
