// Delivery of validated payloads for many callers at once, the way a database group-commits:
//
//   caller threads: deliver(payloads) ──> one queue per lane (by messageId) ──> lane threads:
//   whatever has gathered, up to batchSize, in one performBatch ──> each caller wakes when its
//   last payload has its answer.
//
// A lane that is idle delivers at once, so a lone event waits for nothing; while a lane writes,
// the payloads that arrive meanwhile gather into its next batch, so many small concurrent calls
// make few statements. Copies of one messageId always go to the same lane, one batch after the
// other, so exactly one of them is inserted and the rest are answered duplicate.
//
// Bounded waiting: each call has a deadline (now + retryFor). A batch carries the earliest
// deadline of its payloads, past which no retry starts; payloads still queued at their call's
// deadline are withdrawn and answered failed (503), and are never written afterwards.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <thread>
#include <vector>

#include "json/json.h"
#include "kit/executor.h"
#include "kit/result.h"

namespace actions::kit {

struct SharedDeliveryOptions {
  unsigned lanes = 2;            // deliveries at once (one connection each)
  std::size_t batchSize = 1000;  // payloads per performBatch at most
  std::chrono::milliseconds retryFor{std::chrono::minutes(2)};
};

class SharedDelivery {
 public:
  SharedDelivery(ActionExecutor& executor, SharedDeliveryOptions options);
  // Lets the lanes finish what is queued, then stops them.
  ~SharedDelivery();
  SharedDelivery(const SharedDelivery&) = delete;
  SharedDelivery& operator=(const SharedDelivery&) = delete;

  // Delivers payloads[i] and answers it in results[i]; keys[i] (the messageId) picks the lane.
  // Returns when every payload has its answer. Thread-safe.
  void deliver(std::span<const json::Value* const> payloads, std::span<const std::string_view> keys,
               std::span<EventResult> results);

  std::uint64_t queued() const { return queued_.load(std::memory_order_relaxed); }
  std::uint64_t deliveries() const { return deliveries_.load(std::memory_order_relaxed); }

 private:
  using Clock = std::chrono::steady_clock;
  struct Call;
  struct Item {
    const json::Value* payload;
    EventResult* result;
    Call* call;
  };
  struct Lane {
    std::deque<Item> queue;
    std::condition_variable work;
    std::thread thread;
  };

  void laneLoop(Lane& lane);
  void withdrawQueued(Call& call);

  ActionExecutor& executor_;
  SharedDeliveryOptions options_;
  std::mutex mutex_;
  bool stopping_ = false;
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::atomic<std::uint64_t> queued_{0};
  std::atomic<std::uint64_t> deliveries_{0};
};

}  // namespace actions::kit
