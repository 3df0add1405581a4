#include "runtime/sim/mem_disk.h"

#include <algorithm>
#include <cstring>

namespace ringcache::sim {
namespace {
// Garbage written at the end of a torn tail is at most this long.
constexpr uint64_t torn_garbage_bytes_max = 16;

Status not_found(const std::string& path) { return {Errc::not_found, "no such file: " + path}; }
}  // namespace

MemDisk::MemDisk() { dirs_.insert(""); }

std::string MemDisk::normalize(const std::string& path) {
  std::string out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    const std::string part = path.substr(start, end - start);
    if (!part.empty() && part != ".") {
      if (!out.empty()) out += '/';
      out += part;
    }
    start = end + 1;
  }
  return out;
}

std::string MemDisk::parent_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

const MemDisk::File* MemDisk::find(const std::string& path) const {
  auto entry = visible_.find(normalize(path));
  if (entry == visible_.end()) return nullptr;
  return &inodes_.at(entry->second);
}

void MemDisk::set_entry(const std::string& path, Inode inode) {
  visible_[path] = inode;
  if (!dir_entries_need_sync_) durable_[path] = inode;
}

void MemDisk::erase_entry(const std::string& path) {
  visible_.erase(path);
  if (!dir_entries_need_sync_) durable_.erase(path);
}

Result<MemDisk::Inode> MemDisk::open(const std::string& raw_path, bool truncate) {
  const std::string path = normalize(raw_path);
  if (path.empty() || dirs_.count(path)) return Status(Errc::invalid_argument, "not a file");
  if (!dir_exists(parent_of(path))) return not_found(parent_of(path));
  auto entry = visible_.find(path);
  if (entry != visible_.end()) {
    File& file = inodes_.at(entry->second);
    if (truncate) {
      file.data.clear();
      file.durable_bytes = 0;
    }
    return entry->second;
  }
  const Inode inode = next_inode_++;
  inodes_.emplace(inode, File{});
  set_entry(path, inode);
  return inode;
}

Status MemDisk::append(Inode inode, std::string_view data) {
  auto file = inodes_.find(inode);
  if (file == inodes_.end()) return {Errc::io_error, "file is gone"};
  file->second.data.append(data);
  return Status::ok();
}

void MemDisk::sync(Inode inode) {
  auto file = inodes_.find(inode);
  if (file != inodes_.end()) file->second.durable_bytes = file->second.data.size();
}

uint64_t MemDisk::size(Inode inode) const {
  auto file = inodes_.find(inode);
  return file == inodes_.end() ? 0 : file->second.data.size();
}

Result<size_t> MemDisk::read(const std::string& path, uint64_t offset,
                             std::span<char> buffer) const {
  const File* file = find(path);
  if (file == nullptr) return not_found(path);
  if (offset >= file->data.size()) return size_t{0};
  const size_t count = std::min<uint64_t>(buffer.size(), file->data.size() - offset);
  std::memcpy(buffer.data(), file->data.data() + offset, count);
  return count;
}

Result<uint64_t> MemDisk::file_size(const std::string& path) const {
  const File* file = find(path);
  if (file == nullptr) return not_found(path);
  return static_cast<uint64_t>(file->data.size());
}

Status MemDisk::truncate(const std::string& path, uint64_t size) {
  auto entry = visible_.find(normalize(path));
  if (entry == visible_.end()) return not_found(path);
  File& file = inodes_.at(entry->second);
  if (size < file.data.size()) file.data.resize(size);
  file.durable_bytes = std::min<uint64_t>(file.durable_bytes, size);
  return Status::ok();
}

Status MemDisk::rename(const std::string& raw_from, const std::string& raw_to) {
  const std::string from = normalize(raw_from);
  const std::string to = normalize(raw_to);
  auto entry = visible_.find(from);
  if (entry == visible_.end()) return not_found(from);
  if (!dir_exists(parent_of(to))) return not_found(parent_of(to));
  const Inode inode = entry->second;
  erase_entry(from);
  set_entry(to, inode);
  return Status::ok();
}

Status MemDisk::remove(const std::string& raw_path) {
  const std::string path = normalize(raw_path);
  if (visible_.count(path) == 0) return not_found(path);
  erase_entry(path);
  return Status::ok();
}

Status MemDisk::make_dir(const std::string& raw_path) {
  const std::string path = normalize(raw_path);
  if (visible_.count(path)) return {Errc::invalid_argument, "a file exists there: " + path};
  for (std::string dir = path; !dir.empty(); dir = parent_of(dir)) dirs_.insert(dir);
  return Status::ok();
}

Result<std::vector<std::string>> MemDisk::list(const std::string& raw_dir) const {
  const std::string dir = normalize(raw_dir);
  if (!dir_exists(dir)) return not_found(dir);
  std::vector<std::string> names;  // visible_ and dirs_ are sorted maps: names come out sorted
  const std::string prefix = dir.empty() ? "" : dir + "/";
  auto add_child = [&](const std::string& path) {
    if (path.size() <= prefix.size() || path.compare(0, prefix.size(), prefix) != 0) return;
    const std::string rest = path.substr(prefix.size());
    if (rest.find('/') == std::string::npos) names.push_back(rest);
  };
  for (const auto& [path, inode] : visible_) add_child(path);
  for (const auto& path : dirs_) add_child(path);
  std::sort(names.begin(), names.end());
  return names;
}

void MemDisk::sync_dir(const std::string& raw_dir) {
  const std::string dir = normalize(raw_dir);
  for (auto it = durable_.begin(); it != durable_.end();) {
    const bool gone = parent_of(it->first) == dir && visible_.count(it->first) == 0;
    it = gone ? durable_.erase(it) : std::next(it);
  }
  for (const auto& [path, inode] : visible_) {
    if (parent_of(path) == dir) durable_[path] = inode;
  }
}

CrashDamage MemDisk::crash(Rng& rng, const CrashOptions& options) {
  CrashDamage damage;
  for (const auto& entry : visible_) {
    auto durable = durable_.find(entry.first);
    if (durable == durable_.end() || durable->second != entry.second) ++damage.entries_lost;
  }
  visible_ = durable_;
  collect_garbage();
  for (auto& [inode, file] : inodes_) crash_file(file, rng, options, damage);
  return damage;
}

void MemDisk::crash_file(File& file, Rng& rng, const CrashOptions& options, CrashDamage& damage) {
  const uint64_t tail = file.data.size() - file.durable_bytes;
  if (tail == 0) return;
  if (rng.chance(options.keep_unsynced_chance)) {
    file.durable_bytes = file.data.size();
    return;
  }
  uint64_t kept = 0;
  if (rng.chance(options.torn_chance)) {
    kept = rng.below(tail + 1);
    const uint64_t garbage = std::min(kept, rng.below(torn_garbage_bytes_max + 1));
    for (uint64_t i = kept - garbage; i < kept; ++i) {
      file.data[file.durable_bytes + i] = static_cast<char>(rng.next_u64());
    }
    ++damage.files_torn;
  }
  damage.bytes_lost += tail - kept;
  file.data.resize(file.durable_bytes + kept);
  file.durable_bytes = file.data.size();
}

void MemDisk::collect_garbage() {
  std::set<Inode> live;
  for (const auto& entry : durable_) live.insert(entry.second);
  for (auto it = inodes_.begin(); it != inodes_.end();) {
    it = live.count(it->first) ? std::next(it) : inodes_.erase(it);
  }
}

void MemDisk::wipe() {
  inodes_.clear();
  visible_.clear();
  durable_.clear();
  dirs_ = {""};
}

uint64_t MemDisk::unsynced_bytes() const {
  uint64_t total = 0;
  for (const auto& entry : inodes_) total += entry.second.data.size() - entry.second.durable_bytes;
  return total;
}

}  // namespace ringcache::sim
