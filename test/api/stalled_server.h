// The api tests' own MariaDB (fixture "db_stall"), which they freeze with SIGSTOP: connections
// stay open and statements hang, as on a database that stalls. A Frozen holds it stopped for its
// scope, so a failed assertion never leaves it frozen for the next test.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

#include "support/test_env.h"

namespace stalltest {

class StalledServer {
 public:
  StalledServer() {
    const char* d = std::getenv("ACTIONS_TEST_DB_STALL_DIR");
    if (d) dir_ = d;
  }
  bool known() const { return !dir_.empty(); }
  std::string settingsText() const { return testenv::readText(dir_ + "/settings.json"); }
  pid_t pid() const {
    std::string text = testenv::readText(dir_ + "/mariadbd.pid");
    return text.empty() ? 0 : static_cast<pid_t>(std::atol(text.c_str()));
  }

  // Frozen once every thread of the server has stopped (testenv::waitUntilAllThreadsStopped).
  class Frozen {
   public:
    explicit Frozen(pid_t pid) : pid_(pid) {
      frozen_ = pid_ > 0 && ::kill(pid_, SIGSTOP) == 0;
      if (frozen_ && !testenv::waitUntilAllThreadsStopped(pid_)) thaw();
    }
    ~Frozen() { thaw(); }
    Frozen(const Frozen&) = delete;
    Frozen& operator=(const Frozen&) = delete;
    bool frozen() const { return frozen_; }
    void thaw() {
      if (frozen_) ::kill(pid_, SIGCONT);
      frozen_ = false;
    }

   private:
    pid_t pid_;
    bool frozen_ = false;
  };

 private:
  std::string dir_;
};

// Polls `done` until it holds or `bound` passes (a bound only a broken library reaches).
inline bool eventually(const std::function<bool()>& done,
                       std::chrono::seconds bound = std::chrono::seconds(60)) {
  auto until = std::chrono::steady_clock::now() + bound;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace stalltest
