#include "spool/directory_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>

#include "actions/spool.h"

namespace actions::spool {

DirectoryLock::DirectoryLock(const std::string& directory) {
  std::string path = directory + "/LOCK";
  fd_ = openFile(path, O_RDWR | O_CREAT);
  if (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    if (err != EWOULDBLOCK) throw SpoolError(systemError("cannot lock", path, err));
    std::string holder;
    readAt(fd_.get(), holder, 32, 0);
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0')) holder.pop_back();
    throw SpoolLocked("the spool " + directory + " is in use by another process" +
                      (holder.empty() ? std::string() : " (pid " + holder + ")") +
                      ": one spool serves one process; give this one another directory");
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_.get(), 0) == 0) writeAt(fd_.get(), pid, 0);
}

}  // namespace actions::spool
