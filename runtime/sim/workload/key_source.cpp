#include "runtime/sim/workload/key_source.h"

#include "core/trace/workload.h"
#include "tools/trace/load.h"

namespace ringcache::sim {

namespace {

Result<std::shared_ptr<const trace::Trace>> read_trace_file(const KeySourceSpec& spec) {
  trace_tool::LoadOptions load;
  load.format = trace_tool::guess_file_format(spec.trace_path);
  if (!spec.format.empty() && !trace_tool::parse_file_format(spec.format, load.format)) {
    return Status(Errc::invalid_argument,
                  "unknown trace format '" + spec.format + "' (oracleGeneral, csv, plain, twitter)");
  }
  auto out = std::make_shared<trace::Trace>();
  std::string warning;
  const std::string error = trace_tool::load_trace(spec.trace_path, load, *out, warning);
  if (!error.empty()) return Status(Errc::invalid_argument, error);
  return std::shared_ptr<const trace::Trace>(std::move(out));
}

Result<std::shared_ptr<const trace::Trace>> generate(const KeySourceSpec& spec) {
  trace::WorkloadSpec workload;
  std::string error;
  if (!trace::parse_patterns(spec.generator, workload.patterns, error)) {
    return Status(Errc::invalid_argument, "generator: " + error);
  }
  if (!spec.object_size.empty() &&
      !trace::parse_size_distribution(spec.object_size, workload.sizes, error)) {
    return Status(Errc::invalid_argument, "object_size: " + error);
  }
  workload.objects = spec.objects;
  workload.requests = spec.requests;
  workload.seed = spec.seed;
  return std::shared_ptr<const trace::Trace>(
      std::make_shared<trace::Trace>(trace::generate_workload(workload)));
}

}  // namespace

Result<std::shared_ptr<const trace::Trace>> load_key_source(const KeySourceSpec& spec) {
  if (spec.trace_path.empty() == spec.generator.empty()) {
    return Status(Errc::invalid_argument, "keys: give exactly one of trace and generator");
  }
  return spec.trace_path.empty() ? generate(spec) : read_trace_file(spec);
}

}  // namespace ringcache::sim
