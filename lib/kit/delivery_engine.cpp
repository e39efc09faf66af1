#include "kit/delivery_engine.h"

#include <algorithm>

#include "kit/errors.h"
#include "kit/executor.h"

namespace actions::kit {

struct DeliveryEngine::Submission {
  std::size_t unanswered = 0;
  Done done;
};

namespace {

EventResult late() {
  EventResult r;
  r.status = 503;
  r.outcome = Outcome::Failed;
  r.errorType = error_codes::kRetryableError;
  r.error =
      "not delivered in time: the database was busy or unreachable for the whole retry budget; "
      "nothing of it was written";
  return r;
}

// Whether a delivery's answers stop a stream: refused credentials (401), or a batch that failed
// as a whole after the service's retries. A refusal that belongs to one payload's target (403:
// its database) fails those payloads only.
const EventResult* stopsTheStream(std::span<const EventResult> results) {
  bool allFailed = !results.empty();
  for (const auto& r : results) {
    if (r.status == 401 && r.outcome == Outcome::Failed) return &r;
    allFailed = allFailed && r.outcome == Outcome::Failed && r.status != 403;
  }
  return allFailed ? &results.front() : nullptr;
}

}  // namespace

DeliveryService serviceOf(ActionExecutor& executor) {
  return [&executor](std::span<const json::Value* const> payloads,
                     std::span<const std::chrono::steady_clock::time_point> deadlines,
                     std::span<EventResult> results) {
    executor.deliver(payloads, results, deadlines);
  };
}

DeliveryEngine::DeliveryEngine(DeliveryService service, EngineOptions options, Observer observer)
    : service_(std::move(service)), options_(options), observer_(std::move(observer)) {
  options_.lanes = std::max(1u, options_.lanes);
  options_.maxEvents = std::max<std::size_t>(1, options_.maxEvents);
  options_.maxBytes = std::max<std::size_t>(1, options_.maxBytes);
  for (unsigned i = 0; i < options_.lanes; ++i) lanes_.push_back(std::make_unique<Lane>());
  for (auto& lane : lanes_) lane->thread = std::thread([this, l = lane.get()] { laneLoop(*l); });
  deadlineWatcher_ = std::thread([this] { watchDeadlines(); });
}

DeliveryEngine::~DeliveryEngine() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  deadlineChanged_.notify_all();
  for (auto& lane : lanes_) lane->work.notify_all();
  for (auto& lane : lanes_)
    if (lane->thread.joinable()) lane->thread.join();
  if (deadlineWatcher_.joinable()) deadlineWatcher_.join();
}

void DeliveryEngine::submit(std::span<const DeliveryItem> items, Done done,
                            Clock::time_point since) {
  if (items.empty()) {
    if (done) done();
    return;
  }
  auto* submission = new Submission{items.size(), std::move(done)};
  std::vector<bool> touched(lanes_.size(), false);
  bool earlierDeadline = false;
  {
    std::lock_guard lock(mutex_);
    for (const DeliveryItem& d : items) {
      std::size_t l = lanes_.size() == 1 ? 0 : std::hash<std::string_view>{}(d.key) % lanes_.size();
      Lane& lane = *lanes_[l];
      lane.queue.push_back(
          {d.payload, d.result, submission, d.deadline, since, d.bytes, nextSeq_++});
      lane.bytes += d.bytes;
      touched[l] = true;
      if (d.deadline < nextDeadline_) {
        nextDeadline_ = d.deadline;
        earlierDeadline = true;
      }
    }
    queued_.fetch_add(items.size(), std::memory_order_relaxed);
  }
  if (earlierDeadline) deadlineChanged_.notify_one();
  for (std::size_t l = 0; l < lanes_.size(); ++l)
    if (touched[l]) lanes_[l]->work.notify_one();
}

void DeliveryEngine::flush() {
  {
    std::lock_guard lock(mutex_);
    flushBefore_ = nextSeq_;
  }
  for (auto& lane : lanes_) lane->work.notify_one();
}

void DeliveryEngine::abandonQueued(const EventResult& answer) {
  std::vector<Submission*> done;
  {
    std::lock_guard lock(mutex_);
    std::size_t abandoned = 0;
    for (auto& lane : lanes_) {
      for (const Item& item : lane->queue) {
        *item.result = answer;
        answered(item.submission, done);
      }
      abandoned += lane->queue.size();
      lane->queue.clear();
      lane->bytes = 0;
    }
    queued_.fetch_sub(abandoned, std::memory_order_relaxed);
  }
  complete(done);
}

bool DeliveryEngine::stopped() const {
  std::lock_guard lock(mutex_);
  return stopReason_.has_value();
}

EventResult DeliveryEngine::stopReason() const {
  std::lock_guard lock(mutex_);
  return stopReason_.value_or(EventResult{});
}

bool DeliveryEngine::readyToDeliver(const Lane& lane, Clock::time_point now) const {
  const Item& oldest = lane.queue.front();
  return stopping_ || lane.queue.size() >= options_.maxEvents || lane.bytes >= options_.maxBytes ||
         oldest.seq < flushBefore_ || now >= oldest.since + options_.linger;
}

std::size_t DeliveryEngine::takeBatch(Lane& lane, std::vector<Item>& batch) {
  batch.clear();
  std::size_t bytes = 0;
  while (!lane.queue.empty() && batch.size() < options_.maxEvents) {
    const Item& next = lane.queue.front();
    if (!batch.empty() && bytes + next.bytes > options_.maxBytes) break;
    bytes += next.bytes;
    batch.push_back(next);
    lane.queue.pop_front();
  }
  lane.bytes -= bytes;
  queued_.fetch_sub(batch.size(), std::memory_order_relaxed);
  return batch.size();
}

void DeliveryEngine::laneLoop(Lane& lane) {
  std::vector<Item> batch;
  std::unique_lock lock(mutex_);
  for (;;) {
    if (lane.queue.empty()) {
      if (stopping_) return;
      lane.work.wait(lock);
      continue;
    }
    if (!readyToDeliver(lane, Clock::now())) {
      lane.work.wait_until(lock, lane.queue.front().since + options_.linger);
      continue;
    }
    takeBatch(lane, batch);
    lock.unlock();
    deliver(batch);
    lock.lock();
  }
}

void DeliveryEngine::deliver(std::vector<Item>& batch) {
  const std::size_t n = batch.size();
  std::vector<const json::Value*> payloads(n);
  std::vector<Clock::time_point> deadlines(n);
  std::vector<EventResult> results(n);
  for (std::size_t k = 0; k < n; ++k) {
    payloads[k] = batch[k].payload;
    deadlines[k] = batch[k].deadline;
  }
  std::optional<EventResult> stop;
  {
    std::lock_guard lock(mutex_);
    stop = stopReason_;
  }
  DeliveryReport report;
  if (stop) {
    EventResult r = *stop;
    r.error = "not attempted after an earlier failure: " + stop->error;
    std::fill(results.begin(), results.end(), r);
    report.attempted = false;
  } else {
    auto start = Clock::now();
    service_(payloads, deadlines, results);
    report.took = Clock::now() - start;
    deliveries_.fetch_add(1, std::memory_order_relaxed);
    if (options_.stopAfterWholeFailure)
      if (const EventResult* reason = stopsTheStream(results)) {
        std::lock_guard lock(mutex_);
        if (!stopReason_) stopReason_ = *reason;
      }
  }
  report.results = results;
  if (observer_) observer_(report);

  for (std::size_t k = 0; k < n; ++k) *batch[k].result = std::move(results[k]);
  std::vector<Submission*> done;
  {
    std::lock_guard lock(mutex_);
    for (const Item& item : batch) answered(item.submission, done);
  }
  complete(done);
}

void DeliveryEngine::answered(Submission* s, std::vector<Submission*>& complete) {
  if (--s->unanswered == 0) complete.push_back(s);
}

void DeliveryEngine::complete(std::vector<Submission*>& complete) {
  for (Submission* s : complete) {
    std::unique_ptr<Submission> owned(s);
    if (owned->done) owned->done();
  }
  complete.clear();
}

// Withdraws queued items at their deadline: answered 503, never written afterwards. Items a lane
// has taken are the service's to end by their deadlines.
void DeliveryEngine::watchDeadlines() {
  std::vector<Submission*> done;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (nextDeadline_ == Clock::time_point::max()) {
      deadlineChanged_.wait(lock);
      continue;
    }
    auto now = Clock::now();
    if (now < nextDeadline_) {
      deadlineChanged_.wait_until(lock, nextDeadline_);
      continue;
    }
    Clock::time_point next = Clock::time_point::max();
    std::size_t withdrawn = 0;
    for (auto& lane : lanes_) {
      auto kept = std::remove_if(lane->queue.begin(), lane->queue.end(), [&](const Item& item) {
        if (item.deadline > now) {
          next = std::min(next, item.deadline);
          return false;
        }
        *item.result = late();
        lane->bytes -= item.bytes;
        ++withdrawn;
        answered(item.submission, done);
        return true;
      });
      lane->queue.erase(kept, lane->queue.end());
    }
    queued_.fetch_sub(withdrawn, std::memory_order_relaxed);
    nextDeadline_ = next;
    if (done.empty()) continue;
    lock.unlock();
    complete(done);
    lock.lock();
  }
}

}  // namespace actions::kit
