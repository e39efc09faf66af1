// The one delivery engine of the library, in the shape of Vector's sinks: a batcher in front of a
// service, with the retry policy apart from both (the service's own: singlestore/retry.h).
//
//   submit(items, done) ──> one queue per lane, chosen by the item's key (its messageId)
//     ──> batcher: a lane takes a batch when it is full (maxEvents or maxBytes), when its oldest
//         item has waited `linger`, or when a flush was asked
//     ──> service(payloads, deadlines, results): the action's performBatch
//     ──> each item's result written where the submitter said; `done` runs once every item of
//         its submission has its answer
//
// Ordering: copies of one key always go to the same lane, and a lane delivers in submission
// order, one batch after the other, so the first copy submitted is the first one written.
//
// Deadlines: each item keeps its own. The service gets one deadline per payload (it must start
// no retry for a payload past that payload's deadline); items still queued at their deadline are
// withdrawn and answered 503, and are never written afterwards. A fresh item batched with an old
// one is never answered early because of the old one's budget.
//
// With linger 0 an idle lane delivers at once, so a lone item waits for nothing, and while a
// lane writes, what arrives meanwhile gathers into its next batch: many small concurrent
// submissions make few statements (group commit).
//
// Stop policy (EngineOptions::stopAfterWholeFailure, for finite streams): once a delivery is
// refused authentication (401) or fails as a whole after the service's own retries, later
// batches are not attempted; their items are answered failed with that reason, never dropped.
// A live destination leaves it off: credentials get fixed and servers come back, and every call
// still has its answer within its own deadline.
//
// Threads: submit() and flush() may be called from any thread. `done` callbacks and the
// observer run on the engine's threads (a lane, or the deadline watcher), never under its lock:
// they may submit again. The destructor delivers what is queued and joins the threads.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>
#include <thread>
#include <vector>

#include "json/json.h"
#include "kit/requests.h"
#include "kit/result.h"

namespace actions::kit {

class ActionExecutor;

struct EngineOptions {
  unsigned lanes = 1;                           // deliveries at once (one connection each)
  std::size_t maxEvents = 1000;                 // payloads per delivery at most
  std::size_t maxBytes = std::size_t{8} << 20;  // payload bytes per delivery at most (one item
                                                // larger than this goes alone)
  std::chrono::milliseconds linger{0};          // how long a partial batch may wait for more
  bool stopAfterWholeFailure = false;           // the stream policy above
};

// Delivers payloads[i] (not before now, not retried past deadlines[i]) and answers results[i].
using DeliveryService =
    std::function<void(std::span<const json::Value* const> payloads,
                       std::span<const std::chrono::steady_clock::time_point> deadlines,
                       std::span<EventResult> results)>;

// The service of an action: its performBatch (or perform), through the executor.
DeliveryService serviceOf(ActionExecutor& executor);

// What one delivery did, for a host's logs and metrics.
struct DeliveryReport {
  std::span<const EventResult> results;
  std::chrono::steady_clock::duration took{};
  bool attempted = true;  // false: not attempted, the engine had stopped (stop policy)
};

struct DeliveryItem {
  const json::Value* payload = nullptr;
  std::string_view key;   // picks the lane: copies of one key are written in submission order
  std::size_t bytes = 0;  // the payload's size, for the batcher's byte bound
  EventResult* result = nullptr;  // where its answer goes; must live until `done` has run
  std::chrono::steady_clock::time_point deadline = kNoDeadline;
};

class DeliveryEngine {
 public:
  using Clock = std::chrono::steady_clock;
  using Done = std::function<void()>;
  using Observer = std::function<void(const DeliveryReport&)>;

  DeliveryEngine(DeliveryService service, EngineOptions options, Observer observer = nullptr);
  ~DeliveryEngine();
  DeliveryEngine(const DeliveryEngine&) = delete;
  DeliveryEngine& operator=(const DeliveryEngine&) = delete;

  // Queues the items (copied; what they point to is not) and returns at once. `done` runs once
  // every item has its result — at once, on this thread, when `items` is empty. `since` is when
  // the items began to wait (a stream counts the linger from when it read them).
  void submit(std::span<const DeliveryItem> items, Done done,
              Clock::time_point since = Clock::now());
  // Delivers everything submitted so far without waiting for a full batch or the linger. Does
  // not wait for the answers.
  void flush();
  // Answers every queued item with `answer` instead of delivering it (an owner going away
  // without waiting, as a Sender destroyed before finish()). Deliveries under way go on.
  void abandonQueued(const EventResult& answer);

  std::uint64_t queued() const { return queued_.load(std::memory_order_relaxed); }
  std::uint64_t deliveries() const { return deliveries_.load(std::memory_order_relaxed); }
  // With the stop policy: whether deliveries stopped, and the answer that stopped them.
  bool stopped() const;
  EventResult stopReason() const;
  const EngineOptions& options() const { return options_; }

 private:
  struct Submission;
  struct Item {
    const json::Value* payload;
    EventResult* result;
    Submission* submission;
    Clock::time_point deadline;
    Clock::time_point since;
    std::size_t bytes;
    std::uint64_t seq;
  };
  struct Lane {
    std::deque<Item> queue;
    std::size_t bytes = 0;  // of the queued items
    std::condition_variable work;
    std::thread thread;
  };

  void laneLoop(Lane& lane);
  bool readyToDeliver(const Lane& lane, Clock::time_point now) const;  // under mutex_
  std::size_t takeBatch(Lane& lane, std::vector<Item>& batch);         // under mutex_
  void deliver(std::vector<Item>& batch);
  void watchDeadlines();
  // Counts the answered items; collects submissions that are complete. Under mutex_.
  void answered(Submission* s, std::vector<Submission*>& complete);
  static void complete(std::vector<Submission*>& complete);

  DeliveryService service_;
  EngineOptions options_;
  Observer observer_;
  mutable std::mutex mutex_;
  bool stopping_ = false;
  std::uint64_t nextSeq_ = 0;
  std::uint64_t flushBefore_ = 0;  // items with a smaller seq go out without waiting
  Clock::time_point nextDeadline_ = Clock::time_point::max();  // earliest of the queued items
  std::condition_variable deadlineChanged_;
  std::optional<EventResult> stopReason_;
  std::vector<std::unique_ptr<Lane>> lanes_;
  std::thread deadlineWatcher_;
  std::atomic<std::uint64_t> queued_{0};
  std::atomic<std::uint64_t> deliveries_{0};
};

}  // namespace actions::kit
