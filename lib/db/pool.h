// A thread-safe pool of connections to one server with one set of options. A connection is
// borrowed as a Lease (RAII: it goes back to the pool when the lease ends, or is closed when the
// lease was marked broken), so a connection can neither leak nor be shared by two threads.
//
// Reuse is checked: a connection idle for longer than `pingAfterIdle` is pinged before it is
// handed out, and replaced by a new one when the server no longer answers; one left inside a
// transaction is rolled back (or dropped). Lost connections are never silently reconnected by
// the client library — the caller sees the error, marks the lease broken, and the next lease
// connects afresh, so no statement is ever replayed behind the caller's back.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "db/connection.h"

namespace actions::db {

struct PoolOptions {
  std::size_t maxOpen = 8;  // connections open at once (leased + idle); acquire() waits beyond
  std::size_t maxIdle = 8;  // idle connections kept for reuse
  std::chrono::milliseconds pingAfterIdle{std::chrono::seconds(5)};
  std::chrono::milliseconds closeAfterIdle{std::chrono::minutes(5)};  // servers drop idle links too
};

class ConnectionPool {
  struct State;

 public:
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }
    explicit operator bool() const { return connection_ != nullptr; }
    // The connection is not to be reused (its link failed, or its state is unknown): it is
    // closed when the lease ends instead of going back to the pool.
    void markBroken() { broken_ = true; }
    // Ends the lease now (as the destructor would).
    void release();

   private:
    friend class ConnectionPool;
    Lease(std::shared_ptr<State> state, std::unique_ptr<Connection> c)
        : state_(std::move(state)), connection_(std::move(c)) {}
    std::shared_ptr<State> state_;
    std::unique_ptr<Connection> connection_;
    bool broken_ = false;
  };

  explicit ConnectionPool(ConnectOptions options, PoolOptions poolOptions = {});
  ~ConnectionPool();  // shutdown()
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A process-wide pool for these options (host, port, user, password, database, TLS,
  // timeouts), for tools and tests that want callers with the same settings to share connections.
  // The pool lives while someone holds it, and its limits are its first caller's. The library's
  // delivery path never uses it: every writer (and so every Destination and Sender) has a pool of
  // its own, with its own limit and its own counts.
  static std::shared_ptr<ConnectionPool> shared(const ConnectOptions& options,
                                                PoolOptions poolOptions = {});

  // A healthy connection: an idle one (pinged first when it idled long), or a new one. Waits
  // while maxOpen connections are leased. Throws db::Error when connecting fails, or when the
  // pool has been shut down. With a deadline, waiting for a free connection, the ping and
  // connecting end by then (a retryable db::Error), and the connection handed out keeps that
  // deadline for its statements (Connection::setDeadline).
  Lease acquire(std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

  // Closes the idle connections and refuses further acquire(); leased connections are closed
  // when their lease ends. Idempotent.
  void shutdown();

  std::size_t idleCount() const;
  std::size_t openCount() const;
  // Connections this pool has opened since it was made (for a host's metrics and tests).
  std::uint64_t openedCount() const;
  const ConnectOptions& options() const;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace actions::db
