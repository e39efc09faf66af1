// What GET /ready answers from: the database checked in the background, every second, by a
// thread of its own. /ready reads the latest result and never waits on the database, so a
// stalled database cannot hold workers or connections through readiness probes. A check that
// has not come back for kMaxAge makes the server not ready, unless events were stored meanwhile:
// then the check only waits for a connection the deliveries are using, and the database answers.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "actions/destination.h"

namespace serve {

class Readiness {
 public:
  static constexpr std::chrono::milliseconds kInterval{1000};  // between two checks
  static constexpr std::chrono::seconds kMaxAge{5};            // an older result no longer counts

  explicit Readiness(std::shared_ptr<actions::Destination> destination);
  // Stops the checks; a check still waiting on the database is left to finish on its own.
  ~Readiness();
  Readiness(const Readiness&) = delete;
  Readiness& operator=(const Readiness&) = delete;

  // Checks once now (the start's log says the result), then every kInterval in the background.
  // Returns the first check's problem, empty when the database answered.
  std::string start();
  void stop();

  struct State {
    bool ready = false;
    // Why not, for the log and for key holders: may name the database's address and user.
    std::string why;
  };
  State now() const;

  struct Shared;

 private:
  std::shared_ptr<Shared> shared_;
  std::thread thread_;
};

}  // namespace serve
