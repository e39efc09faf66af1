// Bounding every wait of the client library by a deadline of the caller's.
//
// Connector/C's own timeouts (MYSQL_OPT_CONNECT/READ/WRITE_TIMEOUT) are whole seconds, fixed at
// connect: setting them later changes nothing on an open connection, so a statement sent to a
// stalled server waits the full read timeout (60 s by default) whatever budget its caller has
// left. But Connector/C lets a program replace the one function it waits in, for every wait on
// the socket — connecting, the handshake, TLS, reading an answer, sending a statement or a
// LOAD DATA file (MARIADB_OPT_IO_WAIT; plugins/pvio/pvio_socket.c calls it from
// pvio_socket_wait_io_or_timeout). waitForSocket() is that function: it waits as the library
// would (poll for the library's own timeout) but never past the deadline of the client call in
// progress on this thread, which IoDeadline sets for the length of one call. When the deadline
// cuts a wait short the library sees a timeout and reports the link lost (2013); the caller
// asks IoDeadline::expired() to tell it from a real loss.
#pragma once

#include <chrono>
#include <optional>

namespace actions::db {

using Clock = std::chrono::steady_clock;

// The hook given to MARIADB_OPT_IO_WAIT (Connector/C's prototype: socket, is_read, timeout in
// milliseconds, 0 for none). Returns what poll() returns.
int waitForSocket(int socket, char isRead, int timeoutMs);

// For the lifetime of the object, waits of the client library on this thread end by `deadline`
// (nothing changes when it is empty). Scopes nest: an inner scope never extends an outer one.
class IoDeadline {
 public:
  explicit IoDeadline(std::optional<Clock::time_point> deadline);
  ~IoDeadline();
  IoDeadline(const IoDeadline&) = delete;
  IoDeadline& operator=(const IoDeadline&) = delete;

  // True when a wait inside this scope was cut short by the deadline.
  bool expired() const { return expiredOnThisThread(); }
  // The same, for code that runs inside a scope without holding it.
  static bool expiredOnThisThread();

 private:
  std::optional<Clock::time_point> previous_;
  bool previousExpired_;
};

}  // namespace actions::db
