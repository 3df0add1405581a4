#pragma once
// The numbers of Redis' RDB format that DUMP and RESTORE use (Redis 7.0, RDB version 10):
// object types, the length word's tags and the special string encodings. docs/dump-format.md
// describes the layout they make up.

#include <cstdint>

namespace ringcache::persistence::rdb {

// The version DUMP writes, and the newest RESTORE accepts (a payload from a later Redis may use
// types this one does not know).
inline constexpr uint16_t version = 10;

// Object types (the payload's first byte).
enum Type : uint8_t {
  type_string = 0,
  type_list = 1,                // a length, then each element (before Redis 3.2)
  type_set = 2,                 // a length, then each member
  type_zset = 3,                // members with scores as text (before Redis 3.0)
  type_hash = 4,                // a length, then field, value, ...
  type_zset_2 = 5,              // members with binary doubles
  type_hash_zipmap = 9,         // before Redis 2.6
  type_list_ziplist = 10,       // before Redis 3.2
  type_set_intset = 11,
  type_zset_ziplist = 12,       // before Redis 7.0
  type_hash_ziplist = 13,       // before Redis 7.0
  type_list_quicklist = 14,     // ziplist nodes, Redis 3.2 to 6.2
  type_stream_listpacks = 15,   // Redis 5.0 to 6.2
  type_hash_listpack = 16,
  type_zset_listpack = 17,
  type_list_quicklist_2 = 18,   // listpack (or plain) nodes, Redis 7.0
  type_stream_listpacks_2 = 19, // Redis 7.0
};

// The top two bits of a length's first byte.
inline constexpr uint8_t len_6bit = 0;   // the low six bits are the length
inline constexpr uint8_t len_14bit = 1;  // six bits and the next byte, big-endian
inline constexpr uint8_t len_encoded = 3;  // not a length: a special string encoding follows
// Whole first bytes: a 32-bit or 64-bit big-endian length follows.
inline constexpr uint8_t len_32bit = 0x80;
inline constexpr uint8_t len_64bit = 0x81;

// Special string encodings (the low six bits after len_encoded).
inline constexpr uint8_t enc_int8 = 0;
inline constexpr uint8_t enc_int16 = 1;
inline constexpr uint8_t enc_int32 = 2;
inline constexpr uint8_t enc_lzf = 3;

// Quicklist 2 node containers.
inline constexpr uint64_t quicklist_node_plain = 1;   // one element, as a string
inline constexpr uint64_t quicklist_node_packed = 2;  // a listpack

}  // namespace ringcache::persistence::rdb
