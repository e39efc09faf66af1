#include "singlestore/retry.h"

#include <algorithm>
#include <random>
#include <thread>

namespace actions::singlestore {

bool Backoff::waitAfterFault() {
  auto now = Clock::now();
  if (!faultSince_) faultSince_ = now;
  auto deadline = *faultSince_ + policy_.retryFor;
  if (policy_.deadline && *policy_.deadline < deadline) deadline = *policy_.deadline;
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
