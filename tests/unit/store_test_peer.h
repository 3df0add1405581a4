#pragma once
// Test access to the store's private entry constructors.

#include <string_view>

#include "core/store/entry.h"
#include "core/store/hash_table.h"
#include "core/store/keyspace.h"

namespace ringcache::store {

struct EntryTestPeer {
  static Entry* make(std::string_view key, std::string_view value) {
    return Entry::create(key, value);
  }
  static void destroy(Entry* entry) { Entry::destroy(entry); }
  static size_t header_bytes(const Entry& entry) { return entry.header_bytes(); }
};

}  // namespace ringcache::store
