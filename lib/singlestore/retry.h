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
  // then, so no retry may start past it, and no wait may outlast it.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // Counts the retries decided (for a host's metrics); may be null.
  std::atomic<std::uint64_t>* retries = nullptr;
};

class Backoff {
 public:
  using Clock = std::chrono::steady_clock;

  explicit Backoff(const RetryPolicy& policy) : policy_(policy) {}

  // Something got through: the next fault starts a fresh budget.
  void progressed() {
    faultSince_.reset();
    attempt_ = 0;
  }
  // The latest an attempt starting now may wait for the server: the end of the fault budget
  // (counted from the first fault since progress, or from now when there is none: a wait that
  // long is itself the fault that uses the budget up), the policy's deadline, and `until` (the
  // deadline of what the attempt carries), whichever comes first.
  Clock::time_point attemptDeadline(std::optional<Clock::time_point> until = std::nullopt) const;
  // A transient fault happened. Sleeps before the next attempt and returns true, or returns
  // false at once when no retry may start: the budget is used up, or `until` (the latest any
  // pending row may be written) has passed. The sleep never crosses either. `began`: when the
  // fault began, if before now (a wait that ran out began when its attempt did). `budget`: a
  // shorter budget than retryFor for this kind of fault (db::Error::retryAtMost).
  bool waitAfterFault(std::optional<Clock::time_point> until = std::nullopt,
                      std::optional<Clock::time_point> began = std::nullopt,
                      std::optional<std::chrono::milliseconds> budget = std::nullopt);
  // Time spent since the first fault of the current run of faults.
  std::chrono::milliseconds faultingFor() const;

 private:
  Clock::time_point budgetEnd(Clock::time_point now,
                              std::optional<std::chrono::milliseconds> budget) const;

  RetryPolicy policy_;
  std::optional<Clock::time_point> faultSince_;
  unsigned attempt_ = 0;
};

}  // namespace actions::singlestore
