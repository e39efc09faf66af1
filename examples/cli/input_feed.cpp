#include "input_feed.h"

#include <sys/stat.h>
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
  // The reading thread gathers this many events (or bytes) before it takes the lock.
  static constexpr std::size_t kGatherEvents = 256;
  static constexpr std::size_t kGatherBytes = 256 << 10;

  std::unique_ptr<actions::EventReader> reader;
  actions::RawEvent direct;  // the event being read, when the run reads on its own thread
  std::mutex mutex;
  std::condition_variable canTake, canPut;
  EventBatch inbox;
  bool stopped = false, ended = false, consumerWaiting = false;
  std::string error;
  std::atomic<std::uint64_t> bytes{0}, events{0};

  void read() {
    actions::RawEvent raw;
    // Events read but not handed over yet: gathered without the lock while the reader has input
    // in memory, handed over as one piece before the reader waits for more (the next event may
    // be slow to come: a pipe, a terminal; a finished line is never held behind the start of the
    // next), or when enough have gathered.
    EventBatch local;
    reader->onWaitForInput([&] {
      if (!local.spans.empty()) handOver(local);
    });
    try {
      for (;;) {
        bool more = reader->next(raw);
        if (more) append(local, raw, originOf(raw));
        if (more && local.spans.size() < kGatherEvents && local.arena.size() < kGatherBytes)
          continue;
        if (!handOver(local) || !more) break;
      }
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mutex);
      error = e.what();
    }
    reader->onWaitForInput(nullptr);
    std::lock_guard<std::mutex> lock(mutex);
    ended = true;
    canTake.notify_all();
  }

  // Moves `local` into the inbox once it has room; false when the run stopped reading.
  bool handOver(EventBatch& local) {
    std::unique_lock<std::mutex> lock(mutex);
    canPut.wait(lock, [&] {
      return stopped || (inbox.arena.size() < kMaxBytes && inbox.spans.size() < kMaxEvents);
    });
    if (stopped) return false;
    handOverLocked(local);
    if (consumerWaiting) canTake.notify_one();
    return true;
  }

  static void append(EventBatch& to, const actions::RawEvent& raw, const std::string& origin) {
    auto& a = to.arena;
    EventBatch::Span s{raw.index, a.size(), raw.text.size(), 0, raw.error.size(), 0, origin.size()};
    a += raw.text;
    s.error = a.size();
    a += raw.error;
    s.origin = a.size();
    a += origin;
    to.spans.push_back(s);
  }

  // Moves `local` into the inbox (under the lock) and counts what it held as read.
  void handOverLocked(EventBatch& local) {
    std::uint64_t textBytes = 0;
    for (const auto& sp : local.spans) textBytes += sp.textLen + 1;
    if (inbox.spans.empty()) {
      std::swap(inbox.arena, local.arena);
      std::swap(inbox.spans, local.spans);
    } else {
      std::size_t shift = inbox.arena.size();
      inbox.arena += local.arena;
      for (auto sp : local.spans) {
        sp.text += shift;
        sp.error += shift;
        sp.origin += shift;
        inbox.spans.push_back(sp);
      }
    }
    bytes.fetch_add(textBytes, std::memory_order_relaxed);
    events.fetch_add(local.spans.size(), std::memory_order_relaxed);
    local.clear();
  }
};

namespace {

// Regular files never keep a read waiting: they are read on the run's own thread, which then
// needs no hand-over (on two cores a reading thread of its own slowed a dry run by a fifth).
bool onlyRegularFiles(const std::vector<std::string>& paths) {
  if (paths.empty()) return false;
  for (const auto& p : paths) {
    struct stat st {};
    if (p == "-" || ::stat(p.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  }
  return true;
}

}  // namespace

InputFeed::InputFeed(const std::vector<std::string>& paths)
    : shared_(std::make_shared<Shared>()), direct_(onlyRegularFiles(paths)) {
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
  if (!direct_) thread_ = std::thread([s = shared_] { s->read(); });
}

InputFeed::Take InputFeed::takeDirect(EventBatch& batch) {
  Shared& s = *shared_;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (s.stopped || s.ended) return Take::End;
  }
  try {
    while (batch.spans.size() < Shared::kGatherEvents &&
           batch.arena.size() < Shared::kGatherBytes) {
      if (!s.reader->next(s.direct)) {
        std::lock_guard<std::mutex> lock(s.mutex);
        s.ended = true;
        break;
      }
      Shared::append(batch, s.direct, originOf(s.direct));
    }
  } catch (const std::exception& e) {
    std::lock_guard<std::mutex> lock(s.mutex);
    s.error = e.what();
    s.ended = true;
  }
  if (batch.spans.empty()) return Take::End;
  std::uint64_t textBytes = 0;
  for (const auto& sp : batch.spans) textBytes += sp.textLen + 1;
  s.bytes.fetch_add(textBytes, std::memory_order_relaxed);
  s.events.fetch_add(batch.spans.size(), std::memory_order_relaxed);
  return Take::Events;
}

InputFeed::Take InputFeed::take(EventBatch& batch, std::chrono::milliseconds wait) {
  batch.clear();
  Shared& s = *shared_;
  if (direct_) {
    Take t = takeDirect(batch);
    if (t != Take::Events) return t;
    viewsOf(batch);
    return t;
  }
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
  viewsOf(batch);
  return Take::Events;
}

void InputFeed::viewsOf(EventBatch& batch) {
  const std::string& a = batch.arena;
  batch.events.reserve(batch.spans.size());
  for (const auto& sp : batch.spans)
    batch.events.push_back({sp.index, std::string_view(a).substr(sp.text, sp.textLen),
                            std::string_view(a).substr(sp.error, sp.errorLen),
                            std::string_view(a).substr(sp.origin, sp.originLen)});
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
