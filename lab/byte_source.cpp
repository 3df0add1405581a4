// Plain, gzip and zstd readers behind one chunk callback.

#include "lab/byte_source.h"

#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

namespace ringcache::lab {

namespace {

constexpr size_t chunk_bytes = 1 << 20;

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<FILE, FileCloser>;

std::string read_zstd(FILE* f, const std::string& path,
                      const std::function<void(std::span<const uint8_t>)>& chunk) {
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> context(ZSTD_createDCtx(), ZSTD_freeDCtx);
  std::vector<uint8_t> in(ZSTD_DStreamInSize()), out(ZSTD_DStreamOutSize());
  size_t last = 0;
  while (size_t got = std::fread(in.data(), 1, in.size(), f)) {
    ZSTD_inBuffer input{in.data(), got, 0};
    while (input.pos < input.size) {
      ZSTD_outBuffer output{out.data(), out.size(), 0};
      last = ZSTD_decompressStream(context.get(), &output, &input);
      if (ZSTD_isError(last)) return path + ": zstd: " + ZSTD_getErrorName(last);
      chunk({out.data(), output.pos});
    }
  }
  if (std::ferror(f)) return path + ": " + std::strerror(errno);
  if (last != 0) return path + ": zstd: truncated input";
  return "";
}

std::string read_gzip(const std::string& path,
                      const std::function<void(std::span<const uint8_t>)>& chunk) {
  gzFile gz = gzopen(path.c_str(), "rb");
  if (gz == nullptr) return path + ": cannot open";
  std::vector<uint8_t> out(chunk_bytes);
  std::string error;
  while (true) {
    const int got = gzread(gz, out.data(), static_cast<unsigned>(out.size()));
    if (got < 0) {
      int code = 0;
      error = path + ": gzip: " + gzerror(gz, &code);
      break;
    }
    if (got == 0) break;
    chunk({out.data(), static_cast<size_t>(got)});
  }
  gzclose(gz);
  return error;
}

}  // namespace

std::string read_file_chunks(const std::string& path,
                             const std::function<void(std::span<const uint8_t>)>& chunk) {
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) return path + ": " + std::strerror(errno);
  uint8_t magic[4] = {};
  const size_t magic_len = std::fread(magic, 1, sizeof magic, f.get());
  if (magic_len >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) return read_gzip(path, chunk);
  std::rewind(f.get());
  if (magic_len == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f &&
      magic[3] == 0xfd) {
    return read_zstd(f.get(), path, chunk);
  }
  std::vector<uint8_t> buffer(chunk_bytes);
  while (size_t got = std::fread(buffer.data(), 1, buffer.size(), f.get())) {
    chunk({buffer.data(), got});
  }
  if (std::ferror(f.get())) return path + ": " + std::strerror(errno);
  return "";
}

}  // namespace ringcache::lab
