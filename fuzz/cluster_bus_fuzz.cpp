// libFuzzer target for the cluster bus decoder (core/cluster/bus_message.h, docs/cluster-bus.md):
// arbitrary bytes must never crash it or make it read out of bounds, and whatever decodes must
// re-encode to exactly the same bytes (the format has one encoding per message).
//
// Input: byte 0 bit 0 set means "fix the header's length and checksum first", so the fuzzer
// reaches the body parser instead of stopping at the checksum; the rest is the datagram.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/cluster/bus_message.h"
#include "core/cluster/wire.h"
#include "core/constants.h"

namespace {

using namespace ringcache;

void reseal(std::string& bytes) {
  if (bytes.size() < constants::cluster_bus_header_bytes) return;
  const std::string_view body = std::string_view(bytes).substr(constants::cluster_bus_header_bytes);
  std::string fields;
  cluster::wire::Writer writer(fields);
  writer.u32(static_cast<uint32_t>(body.size()));
  writer.u32(cluster::wire::fnv1a32(body));
  bytes.replace(8, 8, fields);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1) reseal(bytes);
  Result<cluster::BusMessage> decoded = cluster::decode_bus_message(bytes);
  if (!decoded.is_ok()) {
    if (decoded.status().message().empty()) std::abort();
    return 0;
  }
  if (cluster::encode_bus_message(decoded.value()) != bytes) std::abort();
  return 0;
}
