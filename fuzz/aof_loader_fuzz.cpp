// libFuzzer target for the AOF loader: replays an arbitrary file image into a fresh node. The
// first input byte picks how the rest is used: as the raw image (framing and damage detection),
// or cut into pieces each wrapped in a valid record (so the checksum passes and the payload
// parser and the replayed commands get exercised). The loader must never crash or hang, must stop
// at a record boundary, and must consume an undamaged image whole.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/commands/command.h"
#include "core/commands/dispatch.h"
#include "core/server/server.h"
#include "core/persistence/aof_loader.h"
#include "core/persistence/aof_record.h"
#include "tests/support/manual_runtime.h"

namespace {

using namespace ringcache;

// Wraps pieces of `data` (cut at 0xff bytes) in records.
std::string framed_image(std::string_view data) {
  std::string image;
  size_t start = 0;
  for (size_t i = 0; i <= data.size(); ++i) {
    if (i == data.size() || static_cast<unsigned char>(data[i]) == 0xff) {
      persistence::append_record(image, data.substr(start, i - start));
      start = i + 1;
    }
  }
  return image;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  const std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  const std::string image = (bytes[0] & 1) ? framed_image(data) : std::string(data);
  testing::ManualRuntime runtime;
  server::Config config;
  config.proto_max_bulk_len = 1 << 20;  // SETRANGE/APPEND may not grow a value past 1 MiB
  server::Server server(runtime, std::move(config), commands::build_command_table());
  server.set_loading(true);
  const persistence::ImageOutcome outcome =
      persistence::replay_image(server, commands::execute_preset, image);
  if (outcome.good_bytes > image.size()) std::abort();
  if (!outcome.damaged && outcome.error.empty() && outcome.good_bytes != image.size()) {
    std::abort();
  }
  return 0;
}
