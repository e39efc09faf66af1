// The retry policy for transient faults: exponential backoff with jitter, for up to a deadline
// counted from the first fault since the last progress (so a long, healthy write never uses up
// the budget, and a flapping server still ends in bounded time per row).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

namespace actions::singlestore {

struct RetryPolicy {
  std::chrono::milliseconds retryFor{std::chrono::minutes(2)};
  std::chrono::milliseconds firstDelay{100};
  std::chrono::milliseconds maxDelay{std::chrono::seconds(5)};
  // A hard end, whatever retryFor says: a live destination promises its caller an answer by
  // then, so no retry may start past it.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // Counts the retries decided (for a host's metrics); may be null.
  std::atomic<std::uint64_t>* retries = nullptr;
};

class Backoff {
 public:
  explicit Backoff(const RetryPolicy& policy) : policy_(policy) {}

  // Something got through: the next fault starts a fresh budget.
  void progressed() {
    faultSince_.reset();
    attempt_ = 0;
  }
  // A transient fault happened. Sleeps before the next attempt and returns true, or returns
  // false at once when the deadline has passed (give up). The sleep never crosses the deadline.
  bool waitAfterFault();
  // Time spent since the first fault of the current run of faults.
  std::chrono::milliseconds faultingFor() const;

 private:
  using Clock = std::chrono::steady_clock;
  RetryPolicy policy_;
  std::optional<Clock::time_point> faultSince_;
  unsigned attempt_ = 0;
};

}  // namespace actions::singlestore
