// The few POSIX file operations the spool needs, each failing with a SpoolError that names the
// file and the system's reason.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace actions::spool {

// An owned file descriptor, closed on destruction.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

// "what PATH: reason" with the system's text for `err`.
std::string systemError(std::string_view what, const std::string& path, int err);

// open(2), throwing SpoolError.
Fd openFile(const std::string& path, int flags, mode_t mode = 0644);
// Writes all of `data` at `offset`; returns 0 or the errno.
int writeAt(int fd, std::string_view data, std::uint64_t offset);
// Reads up to `size` bytes at `offset` into `out` (resized to what was read); returns 0 or errno.
int readAt(int fd, std::string& out, std::size_t size, std::uint64_t offset);
// fdatasync(2) of a file; fsync(2) of a directory (so a file created or removed in it stays so).
int syncData(int fd);
int syncDirectory(const std::string& directory);
// The size of an open file, throwing SpoolError.
std::uint64_t fileSize(int fd, const std::string& path);
// Bytes free for an unprivileged user on the file system holding `path`; 0 when unknown.
std::uint64_t freeBytes(const std::string& path);

}  // namespace actions::spool
