// actions::SpoolDelivery (include/actions/spool.h): threads that read the spool in batches,
// deliver each batch, and acknowledge batches in the order they were read, so the spool's
// delivered position only ever covers records whose fate is final (stored, duplicate, or written
// to the dead-letter file).
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "actions/spool.h"
#include "api/destination_impl.h"
#include "spool/dead_letters.h"

namespace actions {

using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kMaxBatchBytes = 16u << 20;
constexpr std::chrono::milliseconds kReadWait{200};

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// Starts one delivery call and answers with its results later. Delivery threads start a batch's
// first call while they still hold the read lock, so batches reach the Destination in the order
// they were read, and the first copy of a messageId that arrived twice is the one stored.
using Start = std::function<std::future<std::vector<EventResult>>(std::vector<std::string_view>)>;

struct SpoolDelivery::Impl {
  Spool& spool;
  Start start;
  SpoolDeliveryOptions options;
  Notify notify;
  // The Destination's hooks (its host's logger and metrics), when delivering into one: the
  // notices reach them too, as the library's other diagnostics do.
  const api::Diagnostics* diagnostics = nullptr;
  std::size_t batchSize;
  spool::DeadLetters deadLetters;

  mutable std::mutex mutex;
  std::condition_variable changed;  // stop asked, a batch acknowledged
  bool stopping = false;
  std::mutex readMutex;  // one reader at a time; tickets in read order
  std::uint64_t nextTicket = 0, nextToAcknowledge = 0;
  std::map<std::uint64_t, std::uint64_t> finished;  // ticket -> its last sequence, out of order

  std::atomic<std::uint64_t> inserted{0}, duplicate{0}, deadLettered{0}, retries{0}, deliveries{0};
  // The stall, under `mutex`.
  bool stalled = false;
  Clock::time_point stalledSince{};
  std::uint64_t retriesInStall = 0;
  std::string lastError;

  std::vector<std::thread> threads;

  Impl(Spool& s, Start d, const SpoolDeliveryOptions& o, Notify n, std::size_t defaultBatch,
       const api::Diagnostics* diag)
      : spool(s),
        start(std::move(d)),
        options(o),
        notify(std::move(n)),
        diagnostics(diag),
        batchSize(o.batchSize ? o.batchSize : defaultBatch),
        deadLetters(o.deadLetterPath.empty() ? s.directory() + "/dead-letters.ndjson"
                                             : o.deadLetterPath) {
    if (batchSize == 0) batchSize = 1000;
    spool.rewind();  // what an earlier delivery read and did not acknowledge comes again
    unsigned threadCount = std::max(1u, options.concurrency);
    for (unsigned i = 0; i < threadCount; ++i) threads.emplace_back([this] { loop(); });
  }

  void report(const SpoolNotice& n) const {
    const api::Diagnostics& d = *diagnostics;
    switch (n.kind) {
      case SpoolNotice::Kind::Stalled:
        d.log(LogLevel::Warn, "spool delivery stalled with " + std::to_string(n.events) +
                                  " events waiting (kept and retried): " + n.error);
        d.count("actions_singlestore.spool.stalls", 1);
        break;
      case SpoolNotice::Kind::Recovered:
        d.log(LogLevel::Info, "spool delivery recovered after " + std::to_string(n.seconds) +
                                  " s and " + std::to_string(n.retries) + " retries");
        break;
      case SpoolNotice::Kind::DeadLettered:
        d.log(LogLevel::Error, std::to_string(n.events) +
                                   " spooled events written to the dead-letter file " + n.path +
                                   ": " + n.error);
        d.count("actions_singlestore.spool.dead_lettered", static_cast<double>(n.events));
        break;
    }
  }

  void tell(const SpoolNotice& notice) {
    if (diagnostics) report(notice);
    if (!notify) return;
    try {
      notify(notice);
    } catch (...) {  // a host's logging must not end delivery
    }
  }

  bool stopAsked() {
    std::lock_guard lock(mutex);
    return stopping;
  }

  // Waits `delay` unless stop() comes first; false when it did.
  bool pause(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex);
    return !changed.wait_for(lock, delay, [&] { return stopping; });
  }

  void failed(const std::string& error) {
    bool first = false;
    {
      std::lock_guard lock(mutex);
      lastError = error;
      if (!stalled) {
        stalled = true;
        stalledSince = Clock::now();
        retriesInStall = 0;
        first = true;
      }
      ++retriesInStall;
    }
    retries.fetch_add(1, std::memory_order_relaxed);
    if (first) {
      SpoolNotice n;
      n.kind = SpoolNotice::Kind::Stalled;
      n.events = spool.stats().recordsWaiting;
      n.error = error;
      tell(n);
    }
  }

  void succeeded(std::size_t delivered) {
    SpoolNotice n;
    {
      std::lock_guard lock(mutex);
      if (!stalled) return;
      stalled = false;
      n.kind = SpoolNotice::Kind::Recovered;
      n.events = delivered;
      n.seconds = std::chrono::duration<double>(Clock::now() - stalledSince).count();
      n.retries = retriesInStall;
    }
    tell(n);
  }

  static std::vector<std::string_view> payloadsOf(const std::vector<SpoolRecord>& batch,
                                                  const std::vector<std::size_t>& pending) {
    std::vector<std::string_view> payloads;
    payloads.reserve(pending.size());
    for (std::size_t i : pending) payloads.emplace_back(batch[i].payload);
    return payloads;
  }

  // Delivers one batch until every record's fate is final; false when stop() came first.
  // `first` is the call already started for every record of the batch.
  bool deliverBatch(const std::vector<SpoolRecord>& batch,
                    std::future<std::vector<EventResult>> first) {
    std::vector<std::size_t> pending(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) pending[i] = i;
    std::chrono::milliseconds backoff = options.firstBackoff;
    while (!pending.empty()) {
      std::vector<EventResult> results;
      std::string callError;
      try {
        auto call = first.valid() ? std::move(first) : start(payloadsOf(batch, pending));
        results = call.get();
        if (results.size() != pending.size())
          callError = "the delivery answered " + std::to_string(results.size()) + " results for " +
                      std::to_string(pending.size()) + " records";
      } catch (const std::exception& e) {
        callError = std::string("the delivery failed: ") + e.what();
      }
      deliveries.fetch_add(1, std::memory_order_relaxed);

      std::vector<std::size_t> again;
      std::vector<spool::DeadLetter> letters;
      std::string firstFailure = callError;
      const std::int64_t now = nowMs();
      for (std::size_t k = 0; k < pending.size(); ++k) {
        const SpoolRecord& record = batch[pending[k]];
        EventResult r;
        if (callError.empty()) {
          r = std::move(results[k]);
        } else {
          r.error = callError;
          r.errorType = "RETRYABLE_ERROR";
          r.status = 503;
        }
        switch (r.outcome) {
          case Outcome::Inserted:
            inserted.fetch_add(1, std::memory_order_relaxed);
            break;
          case Outcome::Duplicate:
            duplicate.fetch_add(1, std::memory_order_relaxed);
            break;
          case Outcome::Skipped:
          case Outcome::Validated:
            break;  // nothing to store (a dry-run destination)
          case Outcome::Rejected:
            letters.push_back({&record, std::move(r)});
            break;
          case Outcome::Failed:
            if (firstFailure.empty()) firstFailure = r.error;
            if (now - record.appendedAtMs >= options.retryFor.count()) {
              r.error = "not delivered within the retry period (" +
                        std::to_string(options.retryFor.count() / 1000) + " s): " + r.error;
              letters.push_back({&record, std::move(r)});
            } else {
              again.push_back(pending[k]);
            }
            break;
        }
      }
      if (!letters.empty()) {
        std::string error = deadLetters.write(letters);
        if (!error.empty()) {
          // Kept in the spool: they are retried, and dead-lettered once the file can be written.
          for (const auto& l : letters)
            again.push_back(static_cast<std::size_t>(l.record - batch.data()));
          std::sort(again.begin(), again.end());
          if (firstFailure.empty()) firstFailure = error;
        } else {
          deadLettered.fetch_add(letters.size(), std::memory_order_relaxed);
          SpoolNotice n;
          n.kind = SpoolNotice::Kind::DeadLettered;
          n.events = letters.size();
          n.error = letters.front().result.error;
          n.path = deadLetters.path();
          tell(n);
        }
      }
      if (again.empty()) {
        succeeded(batch.size());
        return true;
      }
      failed(firstFailure);
      if (!pause(backoff)) return false;
      backoff = std::min(options.maxBackoff, backoff * 2);
      pending = std::move(again);
    }
    return true;
  }

  void acknowledgeInOrder(std::uint64_t ticket, std::uint64_t lastSequence) {
    std::uint64_t upTo = 0;
    {
      std::lock_guard lock(mutex);
      finished[ticket] = lastSequence;
      for (auto it = finished.find(nextToAcknowledge); it != finished.end();
           it = finished.find(nextToAcknowledge)) {
        upTo = it->second;
        finished.erase(it);
        ++nextToAcknowledge;
      }
    }
    if (upTo) spool.acknowledge(upTo);
    changed.notify_all();
  }

  void loop() {
    while (!stopAsked()) {
      std::vector<SpoolRecord> batch;
      std::future<std::vector<EventResult>> first;
      std::uint64_t ticket = 0;
      try {
        std::lock_guard lock(readMutex);
        batch = spool.read(batchSize, kMaxBatchBytes, kReadWait);
        if (batch.empty()) continue;
        ticket = nextTicket++;
        try {
          std::vector<std::string_view> payloads;
          payloads.reserve(batch.size());
          for (const SpoolRecord& r : batch) payloads.emplace_back(r.payload);
          first = start(std::move(payloads));
        } catch (...) {  // answered as a failed call by deliverBatch
          std::promise<std::vector<EventResult>> failed;
          failed.set_exception(std::current_exception());
          first = failed.get_future();
        }
      } catch (const std::exception& e) {
        failed(std::string("cannot read the spool: ") + e.what());
        if (!pause(options.maxBackoff)) return;
        continue;
      }
      if (!deliverBatch(batch, std::move(first))) return;  // stopped: the batch stays in the spool
      acknowledgeInOrder(ticket, batch.back().sequence);
    }
  }

  void stop() {
    {
      std::lock_guard lock(mutex);
      stopping = true;
    }
    changed.notify_all();
    for (auto& t : threads)
      if (t.joinable()) t.join();
  }
};

SpoolDelivery::SpoolDelivery(Spool& spool, Destination& destination,
                             const SpoolDeliveryOptions& options, Notify notify)
    : impl_(std::make_unique<Impl>(
          spool,
          [&destination](std::vector<std::string_view> payloads) {
            // Resolved on this thread (the payloads are read before it returns), delivered by
            // the Destination's lanes in the order the calls were made.
            return destination.performPayloadsAsync(payloads);
          },
          options, std::move(notify), destination.batchSize(),
          destination.impl().diagnostics.get())) {}

SpoolDelivery::SpoolDelivery(Spool& spool, Deliver deliver, const SpoolDeliveryOptions& options,
                             Notify notify)
    : impl_(std::make_unique<Impl>(
          spool,
          [deliver = std::move(deliver)](std::vector<std::string_view> payloads) {
            // A host's function runs when the thread waits for it, outside the read lock.
            return std::async(std::launch::deferred, [&deliver, payloads = std::move(payloads)] {
              return deliver(payloads);
            });
          },
          options, std::move(notify), 1000, nullptr)) {}

SpoolDelivery::~SpoolDelivery() {
  impl_->stop();
}

bool SpoolDelivery::drain(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(impl_->mutex);
  while (true) {
    if (impl_->spool.stats().recordsWaiting == 0) return true;
    if (Clock::now() >= deadline) return false;
    impl_->changed.wait_until(lock,
                              std::min(deadline, Clock::now() + std::chrono::milliseconds(50)));
  }
}

void SpoolDelivery::stop() {
  impl_->stop();
}

SpoolDeliveryStats SpoolDelivery::stats() const {
  const Impl& d = *impl_;
  SpoolDeliveryStats s;
  s.inserted = d.inserted.load(std::memory_order_relaxed);
  s.duplicate = d.duplicate.load(std::memory_order_relaxed);
  s.deadLettered = d.deadLettered.load(std::memory_order_relaxed);
  s.retries = d.retries.load(std::memory_order_relaxed);
  s.deliveries = d.deliveries.load(std::memory_order_relaxed);
  std::lock_guard lock(d.mutex);
  s.stalled = d.stalled;
  if (d.stalled)
    s.stalledSeconds = std::chrono::duration<double>(Clock::now() - d.stalledSince).count();
  s.lastError = d.lastError;
  return s;
}

}  // namespace actions
