// libFuzzer target for the eviction lab's inputs: trace files (plain keys, CSV with a column
// mapping, Twitter's CSV, libCacheSim's oracleGeneral records) fed in arbitrary chunks, and the
// workload generator's spec strings. The readers must never crash and must build a consistent
// trace (every object numbered, every next access pointing forward at the same object); the trace
// is then replayed through one policy at a small cache size, so the policies meet odd sizes,
// deletes and repeats too.
//
// Input: byte 0 picks the reader or spec parser and the policy, byte 1 the chunk size; for CSV
// the first line is the column mapping ("key=1,size=2,...").

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/store/policies/policy_core.h"
#include "lab/oracle_general.h"
#include "lab/replay.h"
#include "lab/text_trace.h"
#include "lab/trace.h"
#include "lab/workload.h"

namespace {

using namespace ringcache;

constexpr size_t reader_count = 4;  // plain, csv, twitter, oracleGeneral
constexpr size_t spec_parser_count = 2;

void check_consistent(const lab::Trace& built) {
  for (size_t i = 0; i < built.requests.size(); ++i) {
    const lab::TraceRequest& request = built.requests[i];
    if (request.object >= built.objects) std::abort();
    if (request.next_access == -1) continue;
    const auto next = static_cast<size_t>(request.next_access);
    if (request.next_access < 0 || next <= i || next >= built.requests.size()) std::abort();
    if (built.requests[next].object != request.object) std::abort();
  }
}

lab::Trace read_trace(size_t reader, std::string_view text, size_t chunk) {
  lab::TraceBuilder builder;
  auto feed_all = [&](auto& decoder) {
    for (size_t at = 0; at < text.size(); at += chunk) {
      const std::string_view piece = text.substr(at, chunk);
      decoder.feed(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(piece.data()),
                                            piece.size()));
    }
  };
  if (reader == 3) {
    lab::OracleGeneralDecoder decoder(builder);
    feed_all(decoder);
    if (decoder.pending() >= lab::oracle_general_record_bytes) std::abort();
    return builder.finish();
  }
  lab::CsvColumns columns;
  const auto format = reader == 0   ? lab::TextFormat::plain
                      : reader == 1 ? lab::TextFormat::csv
                                    : lab::TextFormat::twitter;
  if (format == lab::TextFormat::csv) {
    const size_t line_end = text.find('\n');
    lab::CsvColumns parsed;
    if (lab::parse_csv_columns(text.substr(0, line_end), parsed)) columns = parsed;
    text = line_end == std::string_view::npos ? std::string_view() : text.substr(line_end + 1);
  }
  lab::TextTraceDecoder decoder(builder, format, columns);
  feed_all(decoder);
  decoder.finish();
  if (decoder.skipped() > decoder.lines()) std::abort();
  return builder.finish();
}

void parse_spec(size_t parser, std::string_view text) {
  std::string error;
  if (parser == 0) {
    std::vector<lab::Pattern> patterns;
    if (!lab::parse_patterns(text, patterns, error) && error.empty()) std::abort();
  } else {
    lab::SizeDistribution sizes;
    if (!lab::parse_size_distribution(text, sizes, error) && error.empty()) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size < 2) return 0;
  const size_t choice = bytes[0] % (reader_count + spec_parser_count);
  const size_t chunk = 1 + bytes[1];
  const std::string_view text(reinterpret_cast<const char*>(bytes) + 2, size - 2);
  if (choice >= reader_count) {
    parse_spec(choice - reader_count, text);
    return 0;
  }
  const lab::Trace built = read_trace(choice, text, chunk);
  check_consistent(built);
  const auto& kinds = store::policies::all_policy_kinds;
  const size_t kind_count = std::size(kinds);
  lab::ReplayOptions options;
  options.capacity = 1 + bytes[0] / (reader_count + spec_parser_count) % 8;  // objects: evictions happen
  options.ignore_size = true;
  const lab::ReplayResult result =
      lab::replay(kinds[bytes[1] % kind_count], built, options);
  if (result.requests > built.requests.size() || result.misses > result.requests) std::abort();
  return 0;
}
