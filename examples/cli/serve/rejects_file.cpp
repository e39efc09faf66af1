#include "rejects_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace serve {

RejectsFile::RejectsFile(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0)
    throw std::runtime_error("cannot open --rejects " + path + ": " + std::strerror(errno));
}

RejectsFile::~RejectsFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool RejectsFile::append(std::string_view lines, std::string& error) {
  std::lock_guard<std::mutex> lock(mutex_);
  while (!lines.empty()) {
    ssize_t n = ::write(fd_, lines.data(), lines.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = "cannot write --rejects " + path_ + ": " + std::strerror(errno);
      return false;
    }
    lines.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace serve
