// Trace files: format names, decoding through the core decoders, oracleGeneral output.

#include "lab/load.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "lab/oracle_general.h"
#include "lab/byte_source.h"

namespace ringcache::lab {

namespace {
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return s;
}
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

bool parse_file_format(const std::string& name, FileFormat& out) {
  const std::string n = lower(name);
  if (n == "oraclegeneral") out = FileFormat::oracle_general;
  else if (n == "csv") out = FileFormat::csv;
  else if (n == "plain" || n == "txt") out = FileFormat::plain;
  else if (n == "twitter") out = FileFormat::twitter;
  else return false;
  return true;
}

FileFormat guess_file_format(const std::string& path) {
  std::string p = lower(path);
  for (const char* suffix : {".gz", ".zst", ".zstd"}) {
    if (ends_with(p, suffix)) p.resize(p.size() - std::strlen(suffix));
  }
  if (ends_with(p, ".csv")) return FileFormat::csv;
  if (ends_with(p, ".txt")) return FileFormat::plain;
  return FileFormat::oracle_general;
}

std::string load_trace(const std::string& path, const LoadOptions& options, lab::Trace& out,
                       std::string& warning) {
  lab::TraceBuilder builder;
  std::string error;
  uint64_t last_report = 0;
  const auto report = [&] {
    if (options.progress && builder.size() - last_report >= (1 << 20)) {
      last_report = builder.size();
      options.progress(last_report);
    }
  };
  if (options.format == FileFormat::oracle_general) {
    lab::OracleGeneralDecoder decoder(builder);
    error = read_file_chunks(path, [&](std::span<const uint8_t> bytes) {
      decoder.feed(bytes);
      report();
    });
    if (error.empty() && decoder.pending() != 0) {
      warning = path + ": ignored a truncated last record (" + std::to_string(decoder.pending()) +
                " bytes)";
    }
  } else {
    const lab::TextFormat text = options.format == FileFormat::csv     ? lab::TextFormat::csv
                                   : options.format == FileFormat::plain ? lab::TextFormat::plain
                                                                         : lab::TextFormat::twitter;
    lab::TextTraceDecoder decoder(builder, text, options.columns);
    error = read_file_chunks(path, [&](std::span<const uint8_t> bytes) {
      decoder.feed(bytes);
      report();
    });
    decoder.finish();
    if (error.empty() && decoder.skipped() != 0) {
      warning = path + ": skipped " + std::to_string(decoder.skipped()) + " of " +
                std::to_string(decoder.lines()) + " lines that did not parse";
    }
  }
  if (!error.empty()) return error;
  out = builder.finish();
  if (out.requests.empty()) return path + ": no requests";
  return "";
}

std::string write_oracle_general(const std::string& path, const lab::Trace& trace) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return path + ": " + std::strerror(errno);
  std::vector<uint8_t> buffer;
  buffer.reserve(1 << 20);
  const auto put = [&](uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) buffer.push_back(static_cast<uint8_t>(value >> (8 * i)));
  };
  bool ok = true;
  for (size_t i = 0; i < trace.requests.size() && ok; ++i) {
    const lab::TraceRequest& r = trace.requests[i];
    if (r.is_delete()) continue;  // the format has no deletes
    put(i, 4);
    put(r.object, 8);
    put(r.size, 4);
    put(static_cast<uint64_t>(r.next_access), 8);
    if (buffer.size() >= (1 << 20)) {
      ok = std::fwrite(buffer.data(), 1, buffer.size(), f) == buffer.size();
      buffer.clear();
    }
  }
  if (ok && !buffer.empty()) ok = std::fwrite(buffer.data(), 1, buffer.size(), f) == buffer.size();
  const std::string error = ok ? "" : path + ": " + std::strerror(errno);
  if (std::fclose(f) != 0 && ok) return path + ": " + std::strerror(errno);
  return error;
}

}  // namespace ringcache::lab
