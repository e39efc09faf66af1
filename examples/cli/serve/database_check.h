// What GET /ready knows of the database: a check in the background, every second, by a thread of
// its own (Destination::checkConnection: a connection of its own, within 2 s, read_only
// included). /ready reads the latest result and never waits on the database, so a stalled
// database cannot hold workers or connections through readiness probes. A check that has not come
// back for kMaxAge counts as a failure. The reasons name no address or user: /ready may tell them
// to anyone; the log tells each change.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "actions/destination.h"

namespace serve {

class DatabaseCheck {
 public:
  static constexpr std::chrono::milliseconds kInterval{1000};  // between two checks
  static constexpr std::chrono::seconds kMaxAge{5};            // an older result no longer counts

  explicit DatabaseCheck(std::shared_ptr<actions::Destination> destination);
  // Stops the checks; a check still waiting on the database is left to finish on its own.
  ~DatabaseCheck();
  DatabaseCheck(const DatabaseCheck&) = delete;
  DatabaseCheck& operator=(const DatabaseCheck&) = delete;

  // Checks once now (the start's log says the result), then every kInterval in the background.
  // Returns the first check's problem, empty when the database takes writes.
  std::string start();
  void stop();

  struct State {
    bool ready = false;
    std::string why;  // why not (names no address or user)
  };
  State now() const;

  struct Shared;

 private:
  std::shared_ptr<Shared> shared_;
  std::thread thread_;
};

}  // namespace serve
