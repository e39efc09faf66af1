#include "db/io_deadline.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>

namespace actions::db {
namespace {

// The deadline of the client call in progress on this thread, and whether it cut a wait short.
thread_local std::optional<Clock::time_point> tCurrent;
thread_local bool tExpired = false;

}  // namespace

int waitForSocket(int socket, char isRead, int timeoutMs) {
  // The library's own bound (0: none), then the caller's deadline if that comes first.
  long long wait = timeoutMs > 0 ? timeoutMs : -1;
  bool deadlineFirst = false;
  if (tCurrent) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(*tCurrent - Clock::now()).count();
    left = std::max<long long>(left, 0);
    if (wait < 0 || left < wait) {
      wait = left;
      deadlineFirst = true;
    }
  }
  pollfd p{};
  p.fd = socket;
  p.events = isRead ? POLLIN : POLLOUT;
  int rc;
  do {
    rc = ::poll(&p, 1, static_cast<int>(std::min<long long>(wait, 1 << 30)));
  } while (rc < 0 && errno == EINTR);
  if (rc == 0) {
    errno = ETIMEDOUT;
    if (deadlineFirst) tExpired = true;
  }
  return rc;
}

IoDeadline::IoDeadline(std::optional<Clock::time_point> deadline)
    : previous_(tCurrent), previousExpired_(tExpired) {
  if (deadline && (!tCurrent || *deadline < *tCurrent)) tCurrent = deadline;
  tExpired = false;
}

IoDeadline::~IoDeadline() {
  tCurrent = previous_;
  tExpired = previousExpired_ || tExpired;
}

bool IoDeadline::expiredOnThisThread() {
  return tExpired;
}

}  // namespace actions::db
