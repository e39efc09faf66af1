#include "singlestore/retry.h"

#include <algorithm>
#include <random>
#include <thread>

namespace actions::singlestore {

Backoff::Clock::time_point Backoff::budgetEnd(
    Clock::time_point now, std::optional<std::chrono::milliseconds> budget) const {
  auto span = budget ? std::min(*budget, policy_.retryFor) : policy_.retryFor;
  auto end = faultSince_.value_or(now) + span;
  if (policy_.deadline && *policy_.deadline < end) end = *policy_.deadline;
  return end;
}

Backoff::Clock::time_point Backoff::attemptDeadline(std::optional<Clock::time_point> until) const {
  auto end = budgetEnd(Clock::now(), std::nullopt);
  if (until && *until < end) end = *until;
  return end;
}

bool Backoff::waitAfterFault(std::optional<Clock::time_point> until,
                             std::optional<Clock::time_point> began,
                             std::optional<std::chrono::milliseconds> budget) {
  auto now = Clock::now();
  if (!faultSince_) faultSince_ = began && *began < now ? *began : now;
  auto deadline = budgetEnd(now, budget);
  if (until && *until < deadline) deadline = *until;
  if (now >= deadline) return false;
  if (policy_.retries) policy_.retries->fetch_add(1, std::memory_order_relaxed);

  // Exponential growth, capped; then "equal jitter" (half fixed, half random) so writers that
  // failed together do not come back together.
  double base = static_cast<double>(policy_.firstDelay.count()) *
                static_cast<double>(1ull << std::min(attempt_, 20u));
  double capped = std::min(base, static_cast<double>(policy_.maxDelay.count()));
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  auto delay = std::chrono::milliseconds(static_cast<int64_t>(capped * jitter(rng)));
  ++attempt_;
  auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
  std::this_thread::sleep_for(std::min(delay, remaining));
  return true;
}

std::chrono::milliseconds Backoff::faultingFor() const {
  if (!faultSince_) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - *faultSince_);
}

}  // namespace actions::singlestore
