// The spool's lock: an exclusive flock(2) on the file LOCK in its directory, held while the spool
// is open. The kernel releases it when the process ends however it ends (a SIGKILL included), so
// a crash never leaves a stale lock; the file keeps the holder's process id for the error text.
#pragma once

#include <string>

#include "spool/file.h"

namespace actions::spool {

class DirectoryLock {
 public:
  // Throws SpoolLocked naming the holder when another open file description holds the lock
  // (another process, or another Spool of this one), SpoolError when the file cannot be made.
  explicit DirectoryLock(const std::string& directory);

 private:
  Fd fd_;
};

}  // namespace actions::spool
