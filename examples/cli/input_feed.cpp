#include "input_feed.h"

#include <condition_variable>
#include <exception>
#include <mutex>

#include "actions/event_reader.h"
#include "event_origin.h"

namespace cli {

// What the reading thread and the run share; the thread keeps it alive while it reads.
struct InputFeed::Shared {
  // The inbox is handed over once the run takes it, or when it holds this much: enough that the
  // hand-over costs nothing per event, little enough to bound memory.
  static constexpr std::size_t kMaxBytes = 1 << 20;
  static constexpr std::size_t kMaxEvents = 4096;

  std::unique_ptr<actions::EventReader> reader;
  std::mutex mutex;
  std::condition_variable canTake, canPut;
  EventBatch inbox;
  bool stopped = false, ended = false, consumerWaiting = false;
  std::string error;
  std::atomic<std::uint64_t> bytes{0}, events{0};

  void read() {
    actions::RawEvent raw;
    std::string origin;
    try {
      for (;;) {
        bool more = reader->next(raw);
        if (more) origin = originOf(raw);
        std::unique_lock<std::mutex> lock(mutex);
        if (stopped || !more) break;
        canPut.wait(lock, [&] {
          return stopped || (inbox.arena.size() < kMaxBytes && inbox.spans.size() < kMaxEvents);
        });
        if (stopped) break;
        append(raw, origin);
        if (consumerWaiting) canTake.notify_one();
      }
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mutex);
      error = e.what();
    }
    std::lock_guard<std::mutex> lock(mutex);
    ended = true;
    canTake.notify_all();
  }

  void append(const actions::RawEvent& raw, const std::string& origin) {
    auto& a = inbox.arena;
    EventBatch::Span s{raw.index, a.size(), raw.text.size(), 0, raw.error.size(), 0, origin.size()};
    a += raw.text;
    s.error = a.size();
    a += raw.error;
    s.origin = a.size();
    a += origin;
    inbox.spans.push_back(s);
    bytes.fetch_add(raw.text.size() + 1, std::memory_order_relaxed);
    events.fetch_add(1, std::memory_order_relaxed);
  }
};

InputFeed::InputFeed(const std::vector<std::string>& paths) : shared_(std::make_shared<Shared>()) {
  shared_->reader = std::make_unique<actions::EventReader>(paths);
}

InputFeed::~InputFeed() {
  stop();
  if (!thread_.joinable()) return;
  if (stillReading())
    thread_.detach();  // blocked in a read; `shared_` stays alive with it
  else
    thread_.join();
}

void InputFeed::start() {
  thread_ = std::thread([s = shared_] { s->read(); });
}

InputFeed::Take InputFeed::take(EventBatch& batch, std::chrono::milliseconds wait) {
  batch.clear();
  Shared& s = *shared_;
  {
    std::unique_lock<std::mutex> lock(s.mutex);
    if (s.inbox.spans.empty() && !s.ended && !s.stopped) {
      s.consumerWaiting = true;
      s.canTake.wait_for(lock, wait, [&] { return !s.inbox.spans.empty() || s.ended; });
      s.consumerWaiting = false;
    }
    if (s.inbox.spans.empty()) return s.ended || s.stopped ? Take::End : Take::Nothing;
    std::swap(batch.arena, s.inbox.arena);
    std::swap(batch.spans, s.inbox.spans);
    s.canPut.notify_one();
  }
  const std::string& a = batch.arena;
  batch.events.reserve(batch.spans.size());
  for (const auto& sp : batch.spans)
    batch.events.push_back({sp.index, std::string_view(a).substr(sp.text, sp.textLen),
                            std::string_view(a).substr(sp.error, sp.errorLen),
                            std::string_view(a).substr(sp.origin, sp.originLen)});
  return Take::Events;
}

void InputFeed::stop() {
  std::lock_guard<std::mutex> lock(shared_->mutex);
  shared_->stopped = true;
  shared_->canPut.notify_all();
  shared_->canTake.notify_all();
}

std::uint64_t InputFeed::bytesRead() const {
  return shared_->bytes.load(std::memory_order_relaxed);
}

std::uint64_t InputFeed::eventsRead() const {
  return shared_->events.load(std::memory_order_relaxed);
}

std::string InputFeed::error() const {
  std::lock_guard<std::mutex> lock(shared_->mutex);
  return shared_->error;
}

bool InputFeed::stillReading() const {
  std::lock_guard<std::mutex> lock(shared_->mutex);
  return thread_.joinable() && !shared_->ended;
}

}  // namespace cli
