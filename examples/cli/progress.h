// The progress line a run shows on a terminal: events done (of an estimated total when the
// input's size is known), percentage, rate, elapsed time, ETA and outcome counts, redrawn in
// place a few times a second and cut to the terminal's width so it never wraps. While a
// delivery has been waiting for the database for a while it says so instead of a rate.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace cli {

// What the line shows, taken at one moment.
struct ProgressSnapshot {
  double elapsed = 0;                       // seconds since the run started
  std::uint64_t read = 0;                   // events read so far
  std::uint64_t done = 0;                   // events with their final outcome
  std::uint64_t bytesRead = 0;              // bytes of the events read
  std::optional<std::uint64_t> totalBytes;  // the inputs' size, when known (regular files)
  bool inputEnded = false;
  bool dryRun = false;
  std::uint64_t inserted = 0, duplicate = 0, skipped = 0, rejected = 0, failed = 0, valid = 0;
  double waitingForDatabase = 0;   // seconds a delivery has waited with nothing done; 0: not
  std::optional<double> retryFor;  // how long faults are retried, when known
};

// The line for `snapshot`, at most `width` columns (plain ASCII, no escape sequences): the most
// useful parts first, less useful ones left out as the width shrinks.
std::string formatProgress(const ProgressSnapshot& snapshot, std::size_t width);

// "950", "12.3k", "4.56M".
std::string compactCount(std::uint64_t n);
// "0:07", "12:03", "1:02:03".
std::string clockTime(double seconds);

// Draws the line on standard error from a thread of its own, every 250 ms once the run is older
// than a second. `sample` fills a snapshot (called on that thread: it must be thread-safe).
class ProgressDisplay {
 public:
  ProgressDisplay(bool enabled, std::function<void(ProgressSnapshot&)> sample);
  // Stops drawing and clears the line.
  ~ProgressDisplay();
  void stop();

 private:
  void run();
  void draw();

  bool enabled_;
  std::function<void(ProgressSnapshot&)> sample_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool drawn_ = false;
  std::thread thread_;
};

// The terminal's width in columns for standard error (80 when it cannot be told).
std::size_t terminalWidth();

}  // namespace cli
