#include "runtime/real/posix_disk.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace ringcache::real {
namespace {

Status errno_status(int error, const std::string& what) {
  std::string message = what + ": " + std::strerror(error);
  if (error == ENOENT || error == ENOTDIR) return {Errc::not_found, message};
  if (error == ENOSPC || error == EDQUOT) return {Errc::no_space, message};
  return {Errc::io_error, message};
}

// Retries a system call interrupted by a signal.
template <typename Call>
auto retry_eintr(Call call) {
  for (;;) {
    auto result = call();
    if (result >= 0 || errno != EINTR) return result;
  }
}

// fsync(fd) on the offload thread; 0 or the errno it failed with.
int offloaded_fsync(Offload& offload, int fd) {
  int error = 0;
  offload.run_blocking([fd, &error] {
    if (retry_eintr([fd] { return ::fsync(fd); }) != 0) error = errno;
  });
  return error;
}

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(Offload& offload, int fd, std::string path, uint64_t size)
      : offload_(offload), fd_(fd), path_(std::move(path)), size_(size) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status append(std::string_view data) override {
    RING_ASSERT_MSG(fd_ >= 0, "append after close");
    while (!data.empty()) {
      ssize_t n = retry_eintr([&] { return ::write(fd_, data.data(), data.size()); });
      if (n < 0) return errno_status(errno, "append " + path_);
      data.remove_prefix(static_cast<size_t>(n));
      size_ += static_cast<uint64_t>(n);
    }
    return Status::ok();
  }
  Status sync() override {
    RING_ASSERT_MSG(fd_ >= 0, "sync after close");
    if (const int error = offloaded_fsync(offload_, fd_); error != 0) {
      return errno_status(error, "fsync " + path_);
    }
    return Status::ok();
  }
  Status close() override {
    RING_ASSERT_MSG(fd_ >= 0, "close twice");
    int fd = std::exchange(fd_, -1);
    // close(2) must not be retried on EINTR: the descriptor is gone either way.
    if (::close(fd) != 0 && errno != EINTR) return errno_status(errno, "close " + path_);
    return Status::ok();
  }
  uint64_t size() const override { return size_; }

 private:
  Offload& offload_;
  int fd_;
  std::string path_;
  uint64_t size_;
};

class PosixDisk final : public Disk {
 public:
  PosixDisk(std::string root, Offload& offload) : root_(std::move(root)), offload_(offload) {}

  Result<std::unique_ptr<WritableFile>> open_append(const std::string& path,
                                                    bool truncate) override;
  Result<size_t> read(const std::string& path, uint64_t offset, std::span<char> buffer) override;
  Result<uint64_t> file_size(const std::string& path) override;
  Status truncate(const std::string& path, uint64_t size) override;
  Status rename(const std::string& from, const std::string& to) override;
  Status remove(const std::string& path) override;
  Status make_dir(const std::string& path) override;
  Result<std::vector<std::string>> list(const std::string& dir) override;
  Status sync_dir(const std::string& dir) override;

 private:
  // Disk paths are relative to the data directory; anything that could leave it is a bug.
  std::string full(const std::string& path) const {
    RING_ASSERT_MSG(path.empty() || path[0] != '/', "Disk paths are relative");
    RING_ASSERT_MSG(path != ".." && path.find("../") == std::string::npos &&
                      !path.ends_with("/.."),
                  "Disk paths stay inside the data directory");
    return path.empty() ? root_ : root_ + "/" + path;
  }
  std::string root_;
  Offload& offload_;
};

Result<std::unique_ptr<WritableFile>> PosixDisk::open_append(const std::string& path,
                                                             bool truncate) {
  int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0);
  int fd = retry_eintr([&] { return ::open(full(path).c_str(), flags, 0644); });
  if (fd < 0) return errno_status(errno, "open " + path);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    Status status = errno_status(errno, "stat " + path);
    ::close(fd);
    return status;
  }
  return std::unique_ptr<WritableFile>(
      new PosixWritableFile(offload_, fd, path, static_cast<uint64_t>(st.st_size)));
}

Result<size_t> PosixDisk::read(const std::string& path, uint64_t offset, std::span<char> buffer) {
  int fd = retry_eintr([&] { return ::open(full(path).c_str(), O_RDONLY | O_CLOEXEC); });
  if (fd < 0) return errno_status(errno, "open " + path);
  ssize_t n = retry_eintr([&] {
    return ::pread(fd, buffer.data(), buffer.size(), static_cast<off_t>(offset));
  });
  int error = errno;
  ::close(fd);
  if (n < 0) return errno_status(error, "read " + path);
  return static_cast<size_t>(n);
}

Result<uint64_t> PosixDisk::file_size(const std::string& path) {
  struct stat st {};
  if (::stat(full(path).c_str(), &st) != 0) return errno_status(errno, "stat " + path);
  return static_cast<uint64_t>(st.st_size);
}

Status PosixDisk::truncate(const std::string& path, uint64_t size) {
  if (retry_eintr([&] { return ::truncate(full(path).c_str(), static_cast<off_t>(size)); }) != 0) {
    return errno_status(errno, "truncate " + path);
  }
  return Status::ok();
}

Status PosixDisk::rename(const std::string& from, const std::string& to) {
  if (::rename(full(from).c_str(), full(to).c_str()) != 0) {
    return errno_status(errno, "rename " + from + " to " + to);
  }
  return Status::ok();
}

Status PosixDisk::remove(const std::string& path) {
  if (::unlink(full(path).c_str()) != 0) return errno_status(errno, "remove " + path);
  return Status::ok();
}

Status PosixDisk::make_dir(const std::string& path) {
  // mkdir -p: create each missing component in turn.
  std::string target = full(path);
  for (size_t slash = target.find('/', 1);; slash = target.find('/', slash + 1)) {
    std::string prefix = target.substr(0, slash);
    if (::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
      return errno_status(errno, "mkdir " + prefix);
    }
    if (slash == std::string::npos) break;
  }
  struct stat st {};
  if (::stat(target.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return {Errc::io_error, "mkdir " + path + ": not a directory"};
  }
  return Status::ok();
}

Result<std::vector<std::string>> PosixDisk::list(const std::string& dir) {
  DIR* handle = ::opendir(full(dir).c_str());
  if (handle == nullptr) return errno_status(errno, "list " + dir);
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(handle)) {
    std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  ::closedir(handle);
  std::sort(names.begin(), names.end());  // readdir order is the file system's, not ours
  return names;
}

Status PosixDisk::sync_dir(const std::string& dir) {
  int fd = retry_eintr(
      [&] { return ::open(full(dir).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); });
  if (fd < 0) return errno_status(errno, "open dir " + dir);
  const int error = offloaded_fsync(offload_, fd);
  ::close(fd);
  if (error != 0) return errno_status(error, "fsync dir " + dir);
  return Status::ok();
}

}  // namespace

std::unique_ptr<Disk> make_posix_disk(std::string root, Offload& offload) {
  return std::make_unique<PosixDisk>(std::move(root), offload);
}

}  // namespace ringcache::real
