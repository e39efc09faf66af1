// SIGINT and SIGTERM for a run that must end cleanly: the first one is noted (the run then stops
// reading, finishes what is in flight and reports it), a second one ends the process at once.
// The signals are blocked in every thread and taken by a watcher thread with sigtimedwait, so
// nothing runs in a signal handler and no system call of the run is interrupted.
#pragma once

#include <signal.h>

#include <atomic>
#include <functional>
#include <thread>

namespace cli {

class InterruptWatch {
 public:
  // Blocks SIGINT and SIGTERM in the calling thread (and so in every thread it starts from now
  // on) and starts watching. `onFirst` runs on the watcher thread when the first one arrives.
  explicit InterruptWatch(std::function<void(int)> onFirst = {});
  // Stops watching and restores the signal mask.
  ~InterruptWatch();
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;

  // The first signal received (SIGINT or SIGTERM), or 0.
  int signal() const { return signal_.load(std::memory_order_acquire); }

 private:
  void watch();

  std::function<void(int)> onFirst_;
  std::atomic<int> signal_{0};
  std::atomic<bool> stop_{false};
  sigset_t set_{}, previous_{};
  std::thread watcher_;
};

// "SIGINT" / "SIGTERM".
const char* signalName(int signal);
// 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM.
int exitCodeFor(int signal);

}  // namespace cli
