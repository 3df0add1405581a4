// libFuzzer target for RESTORE's payload parser: an arbitrary object after the type byte, with a
// valid footer added so the parser itself is reached (a fuzzer would not guess the CRC-64). The
// first input byte picks the encoding limits (tiny or default), so conversions mid-load are
// exercised too. The parser must never crash, hang or allocate far beyond the input; what it
// accepts must dump and parse again to a value of the same type and size.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/persistence/dump_payload.h"
#include "core/persistence/rdb_output.h"
#include "core/persistence/restore_payload.h"
#include "core/store/keyspace.h"
#include "core/util/rng.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  using namespace ringcache;
  if (size == 0) return 0;
  std::string payload(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  persistence::rdb::append_dump_footer(payload);
  if (!persistence::dump_footer_valid(payload)) std::abort();
  store::EncodingLimits limits;
  if (bytes[0] & 1) {
    limits.hash_max_listpack_entries = limits.zset_max_listpack_entries = 2;
    limits.hash_max_listpack_value = limits.zset_max_listpack_value = 4;
    limits.set_max_intset_entries = 2;
    limits.list_max_listpack_size = 2;
    limits.stream_node_max_entries = 2;
  }
  Rng rng(42);
  auto value = persistence::parse_dump_payload(payload, limits, rng);
  if (!value || value->type == store::ValueType::string) return 0;
  // Round trip through a keyspace entry: the dump of what was accepted must be accepted again.
  store::Keyspace keyspace(rng, store::EvictionConfig{});
  const size_t elements = value->collection->size();
  const store::ValueType type = value->type;
  store::Entry* entry = keyspace.store_collection("k", std::move(value->collection));
  if (entry == nullptr) return 0;
  auto again = persistence::parse_dump_payload(persistence::dump_payload(*entry), limits, rng);
  if (!again || again->type != type || again->collection->size() != elements) std::abort();
  return 0;
}
