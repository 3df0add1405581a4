#pragma once
// struct, the library Redis gives scripts for binary records (no Debian package: our own, written
// to the same interface and byte-for-byte the same results as Redis 7.0 on x86-64):
//   struct.pack(fmt, v1, v2, ...)  -> the values laid out as fmt says, one string
//   struct.unpack(fmt, s [, pos])  -> the values fmt reads from s at pos (1-based), then the
//                                     position after them
//   struct.size(fmt)               -> the bytes fmt takes (formats with s or c0 have no fixed size)
// Format options, spaces ignored:
//   < > !n   little-endian (the default), big-endian, align to at most n bytes (no n: 8)
//   x        one zero byte (padding)
//   b B h H  signed/unsigned 1- and 2-byte integers;  l L T  8-byte integers (T unsigned)
//   in In    signed/unsigned n-byte integers, n up to 32 (no n: 4)
//   f d      float and double
//   cn       n bytes of a string (no n: 1); c0 packs the whole string, and unpacks as many bytes
//            as the number unpacked just before says
//   s        a zero-terminated string
// Nothing is aligned until an '!' asks for it; then each value starts at a multiple of the
// smaller of its size and the alignment.

#include "core/scripting/lua.h"

namespace ringcache::scripting {

// Returns the struct table (a luaopen_* function: call it like the standard libraries').
int luaopen_struct(lua_State* L);

}  // namespace ringcache::scripting
