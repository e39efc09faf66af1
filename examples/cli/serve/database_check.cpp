#include "database_check.h"

#include "log.h"

namespace serve {

using Clock = std::chrono::steady_clock;

// Shared with the checking thread, which may outlive the DatabaseCheck when a check is stuck.
struct DatabaseCheck::Shared {
  std::shared_ptr<actions::Destination> destination;
  mutable std::mutex mutex;
  std::condition_variable wake;
  bool stopped = false, running = false;
  bool checked = false;  // a check has come back
  std::string why;       // its problem; empty: the database takes writes
  Clock::time_point at;  // when it came back

  void check() {
    std::string problem;
    try {
      problem = destination->checkConnection();
    } catch (const std::exception& e) {
      // Not a database's answer (those come back as reasons): its words are for the log only.
      LogLine("ready", "error").add("error", e.what()).write();
      problem = "the database could not be checked (the log says why)";
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

DatabaseCheck::DatabaseCheck(std::shared_ptr<actions::Destination> destination)
    : shared_(std::make_shared<Shared>()) {
  shared_->destination = std::move(destination);
}

DatabaseCheck::~DatabaseCheck() {
  stop();
}

std::string DatabaseCheck::start() {
  shared_->check();
  {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->running = true;
  }
  thread_ = std::thread([s = shared_] { s->loop(); });
  return now().why;
}

void DatabaseCheck::stop() {
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

DatabaseCheck::State DatabaseCheck::now() const {
  std::lock_guard<std::mutex> lock(shared_->mutex);
  State s;
  if (!shared_->checked) {
    s.why = "the database has not been checked yet";
    return s;
  }
  auto age = Clock::now() - shared_->at;
  if (age > kMaxAge) {
    s.why = "the database has not answered a check for " +
            std::to_string(std::chrono::duration_cast<std::chrono::seconds>(age).count()) + " s";
    return s;
  }
  s.ready = shared_->why.empty();
  s.why = shared_->why;
  return s;
}

}  // namespace serve
