#pragma once
// Test access to the store's private entry constructors, and the include order that lets the
// store headers (our RC_ASSERT) and RapidCheck (its RC_ASSERT) live in one test file: include this
// header first, then rapidcheck; inside properties RC_ASSERT is RapidCheck's.

#include <string_view>

#include "core/store/entry.h"
#include "core/store/hash_table.h"
#include "core/store/keyspace.h"

#undef RC_ASSERT

namespace ringcache::store {

struct EntryTestPeer {
  static Entry* make(std::string_view key, std::string_view value) {
    return Entry::create(key, value);
  }
  static void destroy(Entry* entry) { Entry::destroy(entry); }
  static size_t header_bytes(const Entry& entry) { return entry.header_bytes(); }
};

}  // namespace ringcache::store
