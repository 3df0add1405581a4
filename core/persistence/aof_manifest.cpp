#include "core/persistence/aof_manifest.h"

#include <fmt/format.h>

#include <charconv>

#include "core/persistence/crc32c.h"

#include "core/constants.h"

namespace ringcache::persistence {
namespace {

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ') ++i;
    if (i > start) words.push_back(line.substr(start, i - start));
  }
  return words;
}

Status bad_line(size_t number, std::string_view why) {
  return Status(Errc::invalid_argument, fmt::format("manifest line {}: {}", number, why));
}

// One "file NAME seq N type b|i" line into `manifest`.
Status parse_line(std::string_view line, size_t number, Manifest& manifest) {
  const auto words = split_words(line);
  if (words.size() != 6 || words[0] != "file" || words[2] != "seq" || words[4] != "type") {
    return bad_line(number, "expected 'file NAME seq N type b|i'");
  }
  AofFile file{std::string(words[1]), 0};
  const auto [end, error] =
      std::from_chars(words[3].data(), words[3].data() + words[3].size(), file.seq);
  if (error != std::errc() || end != words[3].data() + words[3].size() || file.seq < 1) {
    return bad_line(number, "bad sequence number");
  }
  if (file.name.find('/') != std::string::npos) return bad_line(number, "bad file name");
  if (words[5] == "b") {
    if (manifest.base) return bad_line(number, "a second base file");
    manifest.base = std::move(file);
  } else if (words[5] == "i") {
    if (!manifest.incrs.empty() && manifest.incrs.back().seq >= file.seq) {
      return bad_line(number, "incremental files out of order");
    }
    manifest.incrs.push_back(std::move(file));
  } else {
    return bad_line(number, "unknown file type");
  }
  return Status::ok();
}

}  // namespace

std::vector<std::string> Manifest::file_names() const {
  std::vector<std::string> names;
  if (base) names.push_back(base->name);
  for (const AofFile& incr : incrs) names.push_back(incr.name);
  return names;
}

std::string base_file_name(std::string_view prefix, int64_t seq) {
  return fmt::format("{}.{}.base.aof", prefix, seq);
}

std::string incr_file_name(std::string_view prefix, int64_t seq) {
  return fmt::format("{}.{}.incr.aof", prefix, seq);
}

std::string manifest_file_name(std::string_view prefix) { return fmt::format("{}.manifest", prefix); }

namespace {

constexpr std::string_view checksum_tag = "# crc32c ";

// The text without its checksum line, and whether that line (if there is one) matches. Redis
// skips '#' lines, so a manifest with the line still loads there, and one without loads here.
bool checksum_holds(std::string_view text) {
  const size_t at = text.rfind(checksum_tag);
  if (at == std::string_view::npos || (at != 0 && text[at - 1] != '\n')) return true;
  const std::string expected = fmt::format("{}{:08x}\n", checksum_tag, crc32c(text.substr(0, at)));
  return text.substr(at) == expected;
}

}  // namespace

std::string serialize_manifest(const Manifest& manifest) {
  std::string out = serialize_manifest_lines(manifest);
  fmt::format_to(std::back_inserter(out), "{}{:08x}\n", checksum_tag, crc32c(out));
  return out;
}

std::string serialize_manifest_lines(const Manifest& manifest) {
  std::string out;
  if (manifest.base) {
    fmt::format_to(std::back_inserter(out), "file {} seq {} type b\n", manifest.base->name,
                   manifest.base->seq);
  }
  for (const AofFile& incr : manifest.incrs) {
    fmt::format_to(std::back_inserter(out), "file {} seq {} type i\n", incr.name, incr.seq);
  }
  return out;
}

Result<Manifest> parse_manifest(std::string_view text) {
  Manifest manifest;
  size_t number = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    if (end == std::string_view::npos) return bad_line(number + 1, "no newline at the end");
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end + 1);
    ++number;
    if (line.empty() || line[0] == '#') continue;
    if (Status status = parse_line(line, number, manifest); !status.is_ok()) return status;
  }
  return manifest;
}

Result<Manifest> read_manifest(Disk& disk, const std::string& dir, std::string_view prefix) {
  const std::string path = dir + "/" + manifest_file_name(prefix);
  const Result<uint64_t> size = disk.file_size(path);
  if (!size) return size.status();
  if (size.value() > constants::aof_manifest_bytes_max) {
    return Status(Errc::invalid_argument, "manifest too large: " + path);
  }
  // Read again while the checksum fails: a bit flipped on the way is not damage on the disk.
  std::string text;
  for (int attempt = 0; attempt <= constants::aof_read_retries; ++attempt) {
    text.assign(size.value(), '\0');
    size_t done = 0;
    while (done < text.size()) {
      const Result<size_t> read = disk.read(path, done, std::span<char>(text).subspan(done));
      if (!read) return read.status();
      if (read.value() == 0) break;
      done += read.value();
    }
    text.resize(done);
    if (checksum_holds(text)) return parse_manifest(text);
  }
  return Status(Errc::invalid_argument, "manifest checksum mismatch: " + path);
}

Status write_manifest(Disk& disk, const std::string& dir, std::string_view prefix,
                      const Manifest& manifest) {
  const std::string temp = dir + "/temp-" + manifest_file_name(prefix);
  Result<std::unique_ptr<WritableFile>> file = disk.open_append(temp, true);
  if (!file) return file.status();
  Status status = file.value()->append(serialize_manifest(manifest));
  if (status.is_ok()) status = file.value()->sync();
  const Status closed = file.value()->close();
  if (status.is_ok()) status = closed;
  if (status.is_ok()) status = disk.rename(temp, dir + "/" + manifest_file_name(prefix));
  if (status.is_ok()) status = disk.sync_dir(dir);
  return status;
}

}  // namespace ringcache::persistence
