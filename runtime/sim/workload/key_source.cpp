#include "runtime/sim/workload/key_source.h"

#include "lab/workload.h"
#include "lab/load.h"

namespace ringcache::sim {

namespace {

Result<std::shared_ptr<const lab::Trace>> read_trace_file(const KeySourceSpec& spec) {
  lab::LoadOptions load;
  load.format = lab::guess_file_format(spec.trace_path);
  if (!spec.format.empty() && !lab::parse_file_format(spec.format, load.format)) {
    return Status(Errc::invalid_argument,
                  "unknown trace format '" + spec.format + "' (oracleGeneral, csv, plain, twitter)");
  }
  auto out = std::make_shared<lab::Trace>();
  std::string warning;
  const std::string error = lab::load_trace(spec.trace_path, load, *out, warning);
  if (!error.empty()) return Status(Errc::invalid_argument, error);
  return std::shared_ptr<const lab::Trace>(std::move(out));
}

Result<std::shared_ptr<const lab::Trace>> generate(const KeySourceSpec& spec) {
  lab::WorkloadSpec workload;
  std::string error;
  if (!lab::parse_patterns(spec.generator, workload.patterns, error)) {
    return Status(Errc::invalid_argument, "generator: " + error);
  }
  if (!spec.object_size.empty() &&
      !lab::parse_size_distribution(spec.object_size, workload.sizes, error)) {
    return Status(Errc::invalid_argument, "object_size: " + error);
  }
  workload.objects = spec.objects;
  workload.requests = spec.requests;
  workload.seed = spec.seed;
  return std::shared_ptr<const lab::Trace>(
      std::make_shared<lab::Trace>(lab::generate_workload(workload)));
}

}  // namespace

Result<std::shared_ptr<const lab::Trace>> load_key_source(const KeySourceSpec& spec) {
  if (spec.trace_path.empty() == spec.generator.empty()) {
    return Status(Errc::invalid_argument, "keys: give exactly one of trace and generator");
  }
  return spec.trace_path.empty() ? generate(spec) : read_trace_file(spec);
}

}  // namespace ringcache::sim
