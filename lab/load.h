#pragma once
// Loading a trace file in one of the supported formats (compressed or not), and writing a trace
// back out in the libCacheSim oracleGeneral format (so a generated workload can be replayed by
// other simulators too).

#include <functional>
#include <string>

#include "lab/text_trace.h"
#include "lab/trace.h"

namespace ringcache::lab {

enum class FileFormat { oracle_general, csv, plain, twitter };

// "oracleGeneral", "csv", "plain", "twitter" (case-insensitive); false if unknown.
bool parse_file_format(const std::string& name, FileFormat& out);
// A guess from the file name, for when --format is not given.
FileFormat guess_file_format(const std::string& path);

struct LoadOptions {
  FileFormat format = FileFormat::oracle_general;
  lab::CsvColumns columns;
  std::function<void(uint64_t requests)> progress;
};

// Returns an error message, or "" with `out` filled; `warning` says how many lines were skipped.
std::string load_trace(const std::string& path, const LoadOptions& options, lab::Trace& out,
                       std::string& warning);

std::string write_oracle_general(const std::string& path, const lab::Trace& trace);

}  // namespace ringcache::lab
