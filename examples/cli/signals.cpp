#include "signals.h"

#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <string>

namespace cli {
namespace {
constexpr int kWake = SIGUSR2;
}  // namespace

InterruptWatch::InterruptWatch(std::function<void(int)> onFirst) : onFirst_(std::move(onFirst)) {
  sigemptyset(&set_);
  sigaddset(&set_, SIGINT);
  sigaddset(&set_, SIGTERM);
  // SIGUSR2 wakes the watcher when the run is over, so the process does not wait out a tick.
  sigaddset(&set_, kWake);
  pthread_sigmask(SIG_BLOCK, &set_, &previous_);
  watcher_ = std::thread([this] { watch(); });
}

InterruptWatch::~InterruptWatch() {
  stop_.store(true, std::memory_order_release);
  pthread_kill(watcher_.native_handle(), kWake);
  watcher_.join();
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

void InterruptWatch::watch() {
  // Wakes every 100 ms to see whether the run is over.
  const timespec tick{0, 100 * 1000 * 1000};
  while (!stop_.load(std::memory_order_acquire)) {
    int sig = sigtimedwait(&set_, nullptr, &tick);
    if (sig <= 0 || sig == kWake) continue;
    int expected = 0;
    if (signal_.compare_exchange_strong(expected, sig, std::memory_order_acq_rel)) {
      if (onFirst_) onFirst_(sig);
      continue;
    }
    // A second signal: the user does not want to wait for what is in flight.
    std::string message = std::string("\nactions-singlestore: ") + signalName(sig) +
                          " again: exiting now; events in flight have no report line\n";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, message.data(), message.size());
    _exit(exitCodeFor(sig));
  }
}

const char* signalName(int signal) {
  switch (signal) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    default:
      return "a signal";
  }
}

int exitCodeFor(int signal) {
  return 128 + signal;
}

}  // namespace cli
