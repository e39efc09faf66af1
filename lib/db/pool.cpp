#include "db/pool.h"

#include <errmsg.h>

#include <map>
#include <string>
#include <utility>

namespace actions::db {

using Clock = std::chrono::steady_clock;

struct ConnectionPool::State {
  struct Idle {
    std::unique_ptr<Connection> connection;
    Clock::time_point since;
  };

  ConnectOptions options;
  PoolOptions poolOptions;
  mutable std::mutex mutex;
  std::condition_variable returned;
  std::vector<Idle> idle;    // most recently used last
  std::size_t open = 0;      // leased + idle
  std::uint64_t opened = 0;  // since the pool was made
  bool shutDown = false;

  // Takes back a leased connection: keeps it for reuse when it is healthy and wanted.
  void giveBack(std::unique_ptr<Connection> c, bool broken) {
    if (!broken && c->inTransaction()) {
      // A lease that ended mid-transaction (an exception between BEGIN and COMMIT) must not
      // hand its open transaction to the next borrower.
      try {
        c->execute("ROLLBACK");
      } catch (const Error&) {
        broken = true;
      }
    }
    c->setDeadline(std::nullopt);  // the next borrower brings its own
    std::unique_ptr<Connection> closing;
    {
      std::lock_guard lock(mutex);
      if (broken || shutDown || idle.size() >= poolOptions.maxIdle) {
        closing = std::move(c);
        --open;
      } else {
        idle.push_back({std::move(c), Clock::now()});
      }
    }
    returned.notify_one();
    // `closing` says goodbye to the server outside the lock.
  }
};

ConnectionPool::Lease& ConnectionPool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    release();
    state_ = std::move(other.state_);
    connection_ = std::move(other.connection_);
    broken_ = other.broken_;
  }
  return *this;
}

ConnectionPool::Lease::~Lease() {
  release();
}

void ConnectionPool::Lease::release() {
  if (state_ && connection_)
    state_->giveBack(std::move(connection_), broken_ || !connection_->isOpen());
  state_.reset();
  connection_.reset();
  broken_ = false;
}

ConnectionPool::ConnectionPool(ConnectOptions options, PoolOptions poolOptions)
    : state_(std::make_shared<State>()) {
  state_->options = std::move(options);
  if (poolOptions.maxOpen == 0) poolOptions.maxOpen = 1;
  state_->poolOptions = poolOptions;
}

ConnectionPool::~ConnectionPool() {
  shutdown();
}

ConnectionPool::Lease ConnectionPool::acquire(std::optional<Clock::time_point> deadline) {
  State& s = *state_;
  std::unique_lock lock(s.mutex);
  for (;;) {
    if (s.shutDown)
      throw Error(CR_CONNECTION_ERROR, "HY000", "the connection pool has been shut down",
                  ErrorClass::Fatal);
    if (!s.idle.empty()) {
      State::Idle entry = std::move(s.idle.back());
      s.idle.pop_back();
      lock.unlock();
      entry.connection->setDeadline(deadline);
      auto idleFor = Clock::now() - entry.since;
      bool healthy = idleFor < s.poolOptions.closeAfterIdle &&
                     (idleFor < s.poolOptions.pingAfterIdle || entry.connection->ping());
      if (healthy) return Lease(state_, std::move(entry.connection));
      entry.connection.reset();
      lock.lock();
      --s.open;
      continue;
    }
    if (s.open < s.poolOptions.maxOpen) {
      ++s.open;
      lock.unlock();
      try {
        auto connection = std::make_unique<Connection>(s.options, deadline);
        lock.lock();
        ++s.opened;
        lock.unlock();
        return Lease(state_, std::move(connection));
      } catch (...) {
        lock.lock();
        --s.open;
        lock.unlock();
        s.returned.notify_one();
        throw;
      }
    }
    if (!deadline) {
      s.returned.wait(lock);
    } else if (s.returned.wait_until(lock, *deadline) == std::cv_status::timeout &&
               s.idle.empty() && s.open >= s.poolOptions.maxOpen) {
      throw Error(CR_CONNECTION_ERROR, "HY000",
                  "no connection came free before the deadline (all " +
                      std::to_string(s.poolOptions.maxOpen) + " in use)",
                  ErrorClass::Retryable);
    }
  }
}

void ConnectionPool::shutdown() {
  std::vector<State::Idle> closing;
  {
    std::lock_guard lock(state_->mutex);
    state_->shutDown = true;
    closing.swap(state_->idle);
    state_->open -= closing.size();
  }
  state_->returned.notify_all();
}

std::size_t ConnectionPool::idleCount() const {
  std::lock_guard lock(state_->mutex);
  return state_->idle.size();
}

std::size_t ConnectionPool::openCount() const {
  std::lock_guard lock(state_->mutex);
  return state_->open;
}

std::uint64_t ConnectionPool::openedCount() const {
  std::lock_guard lock(state_->mutex);
  return state_->opened;
}

const ConnectOptions& ConnectionPool::options() const {
  return state_->options;
}

std::shared_ptr<ConnectionPool> ConnectionPool::shared(const ConnectOptions& o,
                                                       PoolOptions poolOptions) {
  // The key holds every option that changes what a connection is; it stays in this process.
  std::string key;
  for (const std::string* part : {&o.host, &o.user, &o.password, &o.database, &o.sslCa}) {
    key += std::to_string(part->size());
    key += ':';
    key += *part;
  }
  key += '|' + std::to_string(o.port) + '|' + std::string(toString(o.sslMode)) + '|' +
         std::to_string(o.connectTimeoutSec) + '|' + std::to_string(o.readTimeoutSec) + '|' +
         std::to_string(o.writeTimeoutSec) + '|' + (o.localInfile ? "1" : "0");

  static std::mutex registryMutex;
  static std::map<std::string, std::weak_ptr<ConnectionPool>> registry;
  std::lock_guard lock(registryMutex);
  for (auto it = registry.begin(); it != registry.end();)
    it = it->second.expired() ? registry.erase(it) : std::next(it);
  if (auto existing = registry[key].lock()) return existing;
  auto pool = std::make_shared<ConnectionPool>(o, poolOptions);
  registry[key] = pool;
  return pool;
}

}  // namespace actions::db
