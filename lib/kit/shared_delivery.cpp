#include "kit/shared_delivery.h"

#include <algorithm>
#include <functional>

#include "kit/errors.h"

namespace actions::kit {

struct SharedDelivery::Call {
  std::size_t unanswered = 0;
  Clock::time_point deadline;
  std::condition_variable done;
};

SharedDelivery::SharedDelivery(ActionExecutor& executor, SharedDeliveryOptions options)
    : executor_(executor), options_(options) {
  options_.lanes = std::max(1u, options_.lanes);
  options_.batchSize = std::max<std::size_t>(1, options_.batchSize);
  for (unsigned i = 0; i < options_.lanes; ++i) lanes_.push_back(std::make_unique<Lane>());
  for (auto& lane : lanes_) lane->thread = std::thread([this, l = lane.get()] { laneLoop(*l); });
}

SharedDelivery::~SharedDelivery() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  for (auto& lane : lanes_) lane->work.notify_all();
  for (auto& lane : lanes_)
    if (lane->thread.joinable()) lane->thread.join();
}

void SharedDelivery::deliver(std::span<const json::Value* const> payloads,
                             std::span<const std::string_view> keys,
                             std::span<EventResult> results) {
  if (payloads.empty()) return;
  Call call;
  call.unanswered = payloads.size();
  call.deadline = Clock::now() + options_.retryFor;
  std::unique_lock lock(mutex_);
  std::vector<bool> touched(lanes_.size(), false);
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    std::size_t lane =
        lanes_.size() == 1 ? 0 : std::hash<std::string_view>{}(keys[i]) % lanes_.size();
    lanes_[lane]->queue.push_back({payloads[i], &results[i], &call});
    touched[lane] = true;
  }
  queued_.fetch_add(payloads.size(), std::memory_order_relaxed);
  for (std::size_t l = 0; l < lanes_.size(); ++l)
    if (touched[l]) lanes_[l]->work.notify_one();
  while (call.unanswered > 0) {
    if (call.done.wait_until(lock, call.deadline) == std::cv_status::timeout) {
      withdrawQueued(call);
      // What a lane has taken ends by the deadline too: the batch carries it.
      while (call.unanswered > 0) call.done.wait(lock);
    }
  }
}

void SharedDelivery::withdrawQueued(Call& call) {
  EventResult late;
  late.status = 503;
  late.outcome = Outcome::Failed;
  late.errorType = error_codes::kRetryableError;
  late.error =
      "not delivered in time: the database was busy or unreachable for the whole retry "
      "budget; nothing of it was written";
  for (auto& lane : lanes_) {
    auto& q = lane->queue;
    auto kept = std::remove_if(q.begin(), q.end(), [&](const Item& item) {
      if (item.call != &call) return false;
      *item.result = late;
      --call.unanswered;
      queued_.fetch_sub(1, std::memory_order_relaxed);
      return true;
    });
    q.erase(kept, q.end());
  }
}

void SharedDelivery::laneLoop(Lane& lane) {
  std::vector<Item> batch;
  std::vector<const json::Value*> payloads;
  std::vector<EventResult> results;
  std::unique_lock lock(mutex_);
  for (;;) {
    lane.work.wait(lock, [&] { return stopping_ || !lane.queue.empty(); });
    if (lane.queue.empty()) return;  // stopping, and nothing left
    std::size_t n = std::min(options_.batchSize, lane.queue.size());
    batch.assign(lane.queue.begin(), lane.queue.begin() + static_cast<std::ptrdiff_t>(n));
    lane.queue.erase(lane.queue.begin(), lane.queue.begin() + static_cast<std::ptrdiff_t>(n));
    queued_.fetch_sub(n, std::memory_order_relaxed);
    Clock::time_point deadline = batch.front().call->deadline;
    for (const Item& item : batch) deadline = std::min(deadline, item.call->deadline);
    lock.unlock();

    payloads.clear();
    for (const Item& item : batch) payloads.push_back(item.payload);
    results.assign(n, EventResult{});
    DeliveryOptions delivery;
    delivery.retryFor = options_.retryFor;
    delivery.concurrentDeliveries = options_.lanes;
    delivery.deadline = deadline;
    executor_.deliver(payloads, results, delivery);
    deliveries_.fetch_add(1, std::memory_order_relaxed);

    lock.lock();
    for (std::size_t k = 0; k < n; ++k) {
      *batch[k].result = std::move(results[k]);
      // Notified under the lock: the caller cannot return (and destroy its Call) before the
      // lock is released.
      if (--batch[k].call->unanswered == 0) batch[k].call->done.notify_one();
    }
  }
}

}  // namespace actions::kit
