// libFuzzer target for the JSON reader: never crashes; whatever it accepts as a string is
// written back by JsonWriter and read again to the same bytes.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/protocol/json.h"
#include "core/protocol/json_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  auto parsed = ringcache::protocol::json::parse(text);
  if (!parsed || parsed.value().kind != ringcache::protocol::json::Value::Kind::string) return 0;
  std::string written;
  ringcache::protocol::JsonWriter::append_string(written, parsed.value().string);
  auto again = ringcache::protocol::json::parse(written);
  if (!again || again.value().string != parsed.value().string) std::abort();
  return 0;
}
