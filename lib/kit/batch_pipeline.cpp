#include "kit/batch_pipeline.h"

#include <algorithm>
#include <cstring>

#include "json/as_written.h"
#include "kit/errors.h"
#include "kit/message_id_scan.h"

namespace actions::kit {
namespace {

// Events per block: large enough that handing a block between threads costs nothing per event,
// small enough that a dry run's output keeps flowing.
constexpr std::size_t kBlockEvents = 256;
// Each block parses into a buffer of its own that it keeps from one use to the next: a pool
// allocator without one hands its chunks back to malloc on every Clear(), and the next block
// then pays for fresh pages again. Pages never touched are never resident; a block that needs
// more takes extra chunks as before.
constexpr std::size_t kArenaBytes = std::size_t{4} << 20;
// A block is handed on at this much event text even when it has fewer than kBlockEvents, and
// add() waits while the blocks in flight hold more than kMaxInFlightBytes: huge events then
// travel a few at a time (parsed, mapped and written out, each costs a few times its text).
constexpr std::size_t kBlockBytes = std::size_t{1} << 20;
constexpr std::size_t kMaxInFlightBytes = std::size_t{32} << 20;
// Buffers of a reused block larger than this are given back rather than kept.
constexpr std::size_t kKeepBufferBytes = std::size_t{4} << 20;

std::string_view copyInto(json::Allocator& alloc, std::string_view text) {
  if (text.empty()) return {};
  char* p = static_cast<char*>(alloc.Malloc(text.size()));
  std::memcpy(p, text.data(), text.size());
  return {p, text.size()};
}

// An event's own messageId, for reports about events that never became payloads.
std::optional<std::string_view> eventMessageId(const json::Value& event, json::Allocator& alloc) {
  if (!event.IsObject()) return std::nullopt;
  auto it = event.FindMember("messageId");
  if (it == event.MemberEnd()) return std::nullopt;
  if (it->value.IsString())
    return std::string_view(it->value.GetString(), it->value.GetStringLength());
  if (it->value.IsNumber()) return copyInto(alloc, json::toJsString(it->value));
  return std::nullopt;
}

EventResult rejected(std::string message) {
  EventResult r;
  r.status = 400;
  r.outcome = Outcome::Rejected;
  r.error = std::move(message);
  r.errorType = error_codes::kPayloadValidationFailed;
  return r;
}

EventResult internalError(const char* what) {
  EventResult r;
  r.status = 500;
  r.outcome = Outcome::Failed;
  r.error = std::string("internal error: ") + what;
  r.errorType = error_codes::kUnknownError;
  return r;
}

unsigned resolversFor(const PipelineOptions& o) {
  if (o.resolvers) return o.resolvers;
  unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
  // A real send leaves a core to the delivery threads (and often to a local server).
  unsigned n = o.dryRun ? cpus : cpus - 1;
  return std::clamp(n, 1u, 8u);
}

}  // namespace

struct BatchPipeline::Block {
  enum class State { Filling, Queued, Resolving, Resolved, Delivering, Done };
  struct Entry {
    std::size_t index = 0;
    std::size_t textOffset = 0, textLength = 0;
    bool inputError = false;
    bool valid = false;
    EventResult result;
    json::Value* payload = nullptr;
    std::optional<std::string_view> messageId;
    std::size_t payloadOffset = 0, payloadLength = 0;
  };

  std::size_t seq = 0;
  State state = State::Filling;
  std::chrono::steady_clock::time_point firstAdded;  // when its first event was added
  std::string text;  // the events' texts (or input errors), back to back
  std::vector<Entry> entries;
  json::Allocator alloc;            // events and payloads
  std::string payloadText;          // with payloadText: the valid payloads as JSON, back to back
  std::vector<DeliveryItem> items;  // the valid payloads, as handed to the engine

  std::string_view textOf(const Entry& e) const {
    return {text.data() + e.textOffset, e.textLength};
  }
  void reset() {
    state = State::Filling;
    text.clear();
    entries.clear();
    alloc.Clear();
    payloadText.clear();
    if (text.capacity() > kKeepBufferBytes) std::string().swap(text);
    if (payloadText.capacity() > kKeepBufferBytes) std::string().swap(payloadText);
    items.clear();
  }
};

BatchPipeline::BatchPipeline(ActionExecutor& executor, std::size_t batchSize, bool dryRun,
                             Sink sink)
    : BatchPipeline(
          executor,
          [&] {
            PipelineOptions o;
            o.batchSize = batchSize;
            o.dryRun = dryRun;
            return o;
          }(),
          std::move(sink)) {}

BatchPipeline::BatchPipeline(ActionExecutor& executor, PipelineOptions options, Sink sink)
    : executor_(executor), options_(options), sink_(std::move(sink)) {
  options_.batchSize = std::max<std::size_t>(1, options_.batchSize);
  options_.lanes = options_.dryRun ? 0 : std::max(1u, options_.lanes);
  options_.resolvers = resolversFor(options_);
  // Room for each lane to gather a full batch while the resolvers work ahead.
  maxInFlight_ = options_.resolvers + 2 + options_.lanes * (options_.batchSize / kBlockEvents + 2);
  if (!options_.dryRun) {
    EngineOptions engine;
    engine.lanes = options_.lanes;
    engine.maxEvents = options_.batchSize;
    engine.maxBytes = options_.maxBatchBytes;
    engine.linger = options_.linger;
    engine.stopAfterWholeFailure = true;
    engine_ = std::make_unique<DeliveryEngine>(serviceOf(executor_), engine, options_.observer);
  }
  start();
}

BatchPipeline::~BatchPipeline() {
  {
    std::lock_guard lock(fillMutex_);
    lingerStop_ = true;
  }
  lingerWake_.notify_all();
  if (lingerThread_.joinable()) lingerThread_.join();
  {
    std::lock_guard lock(mutex_);
    shuttingDown_ = true;
  }
  changed_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  if (engine_) {
    // Destroyed before finish(): what has not been delivered is abandoned, as documented.
    EventResult abandoned;
    abandoned.error = "not delivered: the stream was closed before it finished";
    abandoned.errorType = error_codes::kUnknownError;
    engine_->abandonQueued(abandoned);
    engine_.reset();
  }
}

void BatchPipeline::start() {
  for (unsigned i = 0; i < options_.resolvers; ++i)
    threads_.emplace_back([this] { resolverLoop(); });
  lingerThread_ = std::thread([this] { lingerLoop(); });
}

// Hands on the block being filled once its oldest event has waited the linger time, so a
// trickle of events does not wait for a full block. It never emits records (only the caller's
// thread calls the sink) and never waits for room: when every slot is taken, the caller's next
// add() hands the block on anyway.
void BatchPipeline::lingerLoop() {
  const auto tick = std::max(std::chrono::milliseconds(5), options_.linger / 4);
  std::unique_lock lock(fillMutex_);
  while (!lingerStop_) {
    lingerWake_.wait_for(lock, tick);
    if (lingerStop_) return;
    if (current_ && !current_->entries.empty() &&
        Clock::now() - current_->firstAdded >= options_.linger)
      submitLingering();
  }
}

bool BatchPipeline::submitLingering() {
  std::unique_lock lock(mutex_);
  if (noRoomForCurrent()) return false;
  queueCurrent(lock);
  return true;
}

bool BatchPipeline::noRoomForCurrent() const {
  return inFlight_.size() >= maxInFlight_ ||
         (!inFlight_.empty() && inFlightBytes_ + current_->text.size() > kMaxInFlightBytes);
}

void BatchPipeline::queueCurrent(std::unique_lock<std::mutex>& lock) {
  current_->seq = nextSeq_++;
  current_->state = Block::State::Queued;
  inFlightBytes_ += current_->text.size();
  inFlight_.push_back(std::move(current_));
  lock.unlock();
  changed_.notify_all();
}

bool BatchPipeline::stopped() const {
  return engine_ && engine_->stopped();
}

EventResult BatchPipeline::stopReason() const {
  return engine_ ? engine_->stopReason() : EventResult{};
}

void BatchPipeline::add(std::size_t index, std::string_view text, std::string_view inputError) {
  std::lock_guard fill(fillMutex_);
  if (!current_) {
    std::lock_guard lock(mutex_);
    if (!spare_.empty()) {
      current_ = std::move(spare_.back());
      spare_.pop_back();
    } else {
      current_ = std::make_unique<Block>();
    }
  }
  if (current_->entries.empty()) current_->firstAdded = Clock::now();
  Block::Entry e;
  e.index = index;
  e.inputError = !inputError.empty();
  std::string_view stored = e.inputError ? inputError : text;
  e.textOffset = current_->text.size();
  e.textLength = stored.size();
  current_->text.append(stored);
  current_->entries.push_back(std::move(e));
  if (current_->entries.size() >= kBlockEvents || current_->text.size() >= kBlockBytes)
    submitCurrent();
}

// Called with fillMutex_ held, from the caller's thread.
void BatchPipeline::submitCurrent() {
  std::unique_lock lock(mutex_);
  emitDone(lock, false);
  if (noRoomForCurrent()) {
    callerWaiting_ = true;
    if (engine_) engine_->flush();  // lanes holding a partial batch deliver it now
    while (noRoomForCurrent()) emitDone(lock, true);
    callerWaiting_ = false;
  }
  queueCurrent(lock);
}

void BatchPipeline::emitDone(std::unique_lock<std::mutex>& lock, bool wait) {
  while (!inFlight_.empty()) {
    if (inFlight_.front()->state != Block::State::Done) {
      if (!wait) return;
      changed_.wait(lock);
      continue;
    }
    std::unique_ptr<Block> block = std::move(inFlight_.front());
    inFlight_.pop_front();
    inFlightBytes_ -= block->text.size();
    lock.unlock();
    changed_.notify_all();  // a slot is free
    for (auto& e : block->entries) {
      EventRecord r;
      r.index = e.index;
      r.valid = e.valid;
      r.result = std::move(e.result);
      r.payload = e.payload;
      if (options_.payloadText && e.valid)
        r.payloadJson =
            std::string_view(block->payloadText).substr(e.payloadOffset, e.payloadLength);
      r.messageId = e.messageId;
      sink_(r);
    }
    block->reset();
    lock.lock();
    spare_.push_back(std::move(block));
    if (wait) return;
  }
}

void BatchPipeline::flush() {
  if (finished_) return;
  {
    std::lock_guard fill(fillMutex_);
    if (current_ && !current_->entries.empty()) submitCurrent();
  }
  std::unique_lock lock(mutex_);
  flushing_ = true;
  if (engine_) engine_->flush();
  while (!inFlight_.empty()) emitDone(lock, true);
  flushing_ = false;
}

void BatchPipeline::finish() {
  if (finished_) return;
  {
    std::lock_guard fill(fillMutex_);
    lingerStop_ = true;
    if (current_ && !current_->entries.empty()) submitCurrent();
  }
  lingerWake_.notify_all();
  if (lingerThread_.joinable()) lingerThread_.join();
  std::unique_lock lock(mutex_);
  finishing_ = true;
  changed_.notify_all();
  if (engine_) engine_->flush();
  while (!inFlight_.empty()) emitDone(lock, true);
  lock.unlock();
  for (auto& t : threads_) t.join();
  threads_.clear();
  finished_ = true;
}

BatchPipeline::Block* BatchPipeline::blockWithSeq(std::size_t seq) {
  if (inFlight_.empty()) return nullptr;
  std::size_t first = inFlight_.front()->seq;
  if (seq < first || seq - first >= inFlight_.size()) return nullptr;
  return inFlight_[seq - first].get();
}

void BatchPipeline::resolveBlock(Block& block) {
  for (auto& e : block.entries) {
    std::string_view text = block.textOf(e);
    if (e.inputError) {
      e.result = rejected(std::string(text));
      continue;
    }
    if (options_.maxEventBytes && text.size() > options_.maxEventBytes) {
      e.result = tooLarge("event", text.size(), options_.maxEventBytes);
      if (auto id = scanMessageId(text)) e.messageId = copyInto(block.alloc, *id);
      continue;
    }
    try {
      json::Document doc(&block.alloc);
      bool asWritten = false;  // then the payload's message, the event itself, is written as read
      if (auto err = json::parseKeepingText(text, doc, asWritten)) {
        e.result = rejected("The event is " + err->describe());
        continue;
      }
      auto* event = new (block.alloc.Malloc(sizeof(json::Value))) json::Value();
      event->Swap(doc);
      auto* payload = new (block.alloc.Malloc(sizeof(json::Value))) json::Value();
      Resolution res = executor_.resolve(*event, *payload, block.alloc, true);
      if (res.valid()) {
        e.valid = true;
        e.payload = payload;
        auto it = payload->FindMember("messageId");
        if (it != payload->MemberEnd() && it->value.IsString())
          e.messageId = std::string_view(it->value.GetString(), it->value.GetStringLength());
        else
          e.messageId = eventMessageId(*event, block.alloc);
        e.result = validated();
        if (options_.payloadText) {
          e.payloadOffset = block.payloadText.size();
          json::stringify(*payload, block.payloadText,
                          json::KnownText{asWritten ? event : nullptr, text});
          e.payloadLength = block.payloadText.size() - e.payloadOffset;
        }
      } else {
        e.result = res.result();
        e.messageId = eventMessageId(*event, block.alloc);
      }
    } catch (const std::exception& ex) {
      e.valid = false;
      e.result = internalError(ex.what());
    }
  }
}

void BatchPipeline::resolverLoop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    Block* next = nullptr;
    for (auto& b : inFlight_)
      if (b->state == Block::State::Queued) {
        next = b.get();
        break;
      }
    if (next) {
      next->state = Block::State::Resolving;
      lock.unlock();
      resolveBlock(*next);
      lock.lock();
      next->state = Block::State::Resolved;
      submitResolved();
      changed_.notify_all();
      continue;
    }
    if (shuttingDown_ || finishing_) return;
    changed_.wait(lock);
  }
}

bool BatchPipeline::shouldFlush() const {
  return finishing_ || flushing_ || callerWaiting_ || inFlight_.size() >= maxInFlight_;
}

void BatchPipeline::submitResolved() {
  bool submitted = false;
  for (Block* block = blockWithSeq(nextToSubmit_); block && block->state == Block::State::Resolved;
       block = blockWithSeq(nextToSubmit_)) {
    ++nextToSubmit_;
    if (!engine_) {
      block->state = Block::State::Done;
      continue;
    }
    block->items.clear();
    for (auto& e : block->entries) {
      if (!e.valid) continue;
      e.result = EventResult{};  // answered by the engine
      block->items.push_back(
          {e.payload, e.messageId.value_or(std::string_view{}), e.textLength, &e.result});
    }
    if (block->items.empty()) {
      block->state = Block::State::Done;
      continue;
    }
    block->state = Block::State::Delivering;
    // The answer comes on a delivery thread, never under the engine's lock.
    engine_->submit(
        block->items,
        [this, block] {
          {
            std::lock_guard done(mutex_);
            block->state = Block::State::Done;
          }
          changed_.notify_all();
        },
        block->firstAdded);
    submitted = true;
  }
  // The caller waits on these answers (flush, finish, no room left): no linger for them.
  if (submitted && shouldFlush()) engine_->flush();
}

}  // namespace actions::kit
