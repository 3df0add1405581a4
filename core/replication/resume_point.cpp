#include "core/replication/resume_point.h"

#include <fmt/format.h>

#include <array>
#include <charconv>

#include "core/constants.h"

namespace ringcache::replication {
namespace {

constexpr std::string_view magic = "ringcache-replica";

}  // namespace

std::string encode_resume_point(const ResumePoint& point) {
  return fmt::format("{} {} {}\n", magic, point.replid, point.offset);
}

std::optional<ResumePoint> decode_resume_point(std::string_view text) {
  if (!text.starts_with(magic) || !text.ends_with('\n')) return std::nullopt;
  text.remove_prefix(magic.size());
  text.remove_suffix(1);
  if (!text.starts_with(' ') || text.size() < constants::repl_id_chars + 3) return std::nullopt;
  ResumePoint point;
  point.replid = std::string(text.substr(1, constants::repl_id_chars));
  const std::string_view number = text.substr(constants::repl_id_chars + 2);
  if (text[constants::repl_id_chars + 1] != ' ') return std::nullopt;
  const auto parsed = std::from_chars(number.data(), number.data() + number.size(), point.offset);
  if (parsed.ec != std::errc() || parsed.ptr != number.data() + number.size()) return std::nullopt;
  return point;
}

Status save_resume_point(Disk& disk, const ResumePoint& point) {
  const std::string temp = std::string("temp-") + resume_point_file;
  Result<std::unique_ptr<WritableFile>> file = disk.open_append(temp, true);
  if (!file) return file.status();
  Status status = file.value()->append(encode_resume_point(point));
  if (status.is_ok()) status = file.value()->sync();
  const Status closed = file.value()->close();
  if (status.is_ok()) status = closed;
  if (status.is_ok()) status = disk.rename(temp, resume_point_file);
  if (status.is_ok()) status = disk.sync_dir(".");
  return status;
}

std::optional<ResumePoint> take_resume_point(Disk& disk) {
  std::array<char, 256> buffer{};
  const Result<size_t> read = disk.read(resume_point_file, 0, buffer);
  if (!read) return std::nullopt;
  (void)disk.remove(resume_point_file);
  (void)disk.sync_dir(".");
  return decode_resume_point(std::string_view(buffer.data(), read.value()));
}

}  // namespace ringcache::replication
