#include "readiness.h"

#include "log.h"

namespace serve {

using Clock = std::chrono::steady_clock;

// Shared with the checking thread, which may outlive the Readiness when a check is stuck.
struct Readiness::Shared {
  std::shared_ptr<actions::Destination> destination;
  mutable std::mutex mutex;
  std::condition_variable wake;
  bool stopped = false, running = false;
  bool checked = false;  // a check has come back
  std::string why;       // its problem; empty: the database answered
  Clock::time_point at;  // when it came back
  // Events stored (inserted or duplicate) as last seen, and when that count last moved.
  mutable std::uint64_t storedSeen = 0;
  mutable Clock::time_point storedMovedAt;

  std::uint64_t stored() const {
    auto s = destination->stats();
    return s.inserted + s.duplicate;
  }

  void check() {
    std::string problem;
    try {
      problem = destination->checkConnection();
    } catch (const std::exception& e) {
      problem = e.what();
    }
    std::lock_guard<std::mutex> lock(mutex);
    // The log tells each change, with the reason, once.
    if (checked && problem != why) {
      if (problem.empty())
        LogLine("ready").add("ready", true).write();
      else
        LogLine("ready", "warn").add("ready", false).add("error", problem).write();
    }
    checked = true;
    why = std::move(problem);
    at = Clock::now();
    storedSeen = stored();
    storedMovedAt = at;
  }

  void loop() {
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex);
        wake.wait_for(lock, kInterval, [&] { return stopped; });
        if (stopped) break;
      }
      check();
    }
    std::lock_guard<std::mutex> lock(mutex);
    running = false;
    wake.notify_all();
  }
};

Readiness::Readiness(std::shared_ptr<actions::Destination> destination)
    : shared_(std::make_shared<Shared>()) {
  shared_->destination = std::move(destination);
}

Readiness::~Readiness() {
  stop();
}

std::string Readiness::start() {
  shared_->check();
  {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->running = true;
  }
  thread_ = std::thread([s = shared_] { s->loop(); });
  return now().why;
}

void Readiness::stop() {
  if (!thread_.joinable()) return;
  std::unique_lock<std::mutex> lock(shared_->mutex);
  shared_->stopped = true;
  shared_->wake.notify_all();
  // A check waiting on a stalled database is not waited for past a moment: the thread keeps
  // what it uses alive and ends when the check does (or with the process).
  bool done =
      shared_->wake.wait_for(lock, std::chrono::seconds(1), [&] { return !shared_->running; });
  lock.unlock();
  if (done)
    thread_.join();
  else
    thread_.detach();
}

Readiness::State Readiness::now() const {
  std::lock_guard<std::mutex> lock(shared_->mutex);
  State s;
  if (!shared_->checked) {
    s.why = "the database has not been checked yet";
    return s;
  }
  auto now = Clock::now();
  auto age = now - shared_->at;
  if (age > kMaxAge) {
    std::uint64_t stored = shared_->stored();
    if (stored != shared_->storedSeen) {
      shared_->storedSeen = stored;
      shared_->storedMovedAt = now;
    }
    if (shared_->why.empty() && now - shared_->storedMovedAt <= kMaxAge) {
      s.ready = true;  // the check waits for a busy connection; the database stores events
      return s;
    }
    s.why = "the database has not answered a check for " +
            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(age).count()) + " s";
    return s;
  }
  s.ready = shared_->why.empty();
  s.why = shared_->why;
  return s;
}

}  // namespace serve
