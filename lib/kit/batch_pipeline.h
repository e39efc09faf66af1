// The stream front-end of the delivery engine (kit/delivery_engine.h), with the stages
// overlapped:
//
//   caller: add() copies the event text into a block ──> resolver threads: parse, subscription,
//   mapping, validation (and, when asked, the payload as JSON text) ──> the engine: blocks handed
//   over in input order, batches of `batchSize` payloads per lane, the stream's linger ──>
//   caller: every event's record to the sink, in input order.
//
// While one block is written to the database, the next ones are being resolved. Memory stays
// bounded: at most a fixed number of blocks are in flight, and add() waits (emitting finished
// records) when they are all taken.
//
// Lanes: the engine's. Each payload goes to the lane its messageId hashes to, and blocks are
// handed to the engine in input order whatever order the resolvers finish them in, so two copies
// of one messageId are always written by the same lane, one after the other: the first copy in
// input order wins, as with a single lane.
//
// Latency: a partial batch does not wait for more events forever. Once its oldest event has
// waited `linger` (counted from when add() took it), the block being filled is handed on and
// the engine delivers what its lanes hold, so a trickle of events reaches the database within
// about `linger`; flush() delivers at once.
//
// Memory is bounded in bytes too: a block is handed on once it holds about a megabyte of event
// text, and add() waits while the blocks in flight hold more than a fixed budget of text, so a
// stream of huge events costs a few of them at a time, not a batch of them.
//
// A dry run resolves without delivering. Deliveries follow the engine's stream policy
// (EngineOptions::stopAfterWholeFailure): when a delivery fails authentication, or fails as a
// whole after the action's own retries, later deliveries are not attempted and their events are
// reported failed with the reason, never dropped.
//
// The sink is only ever called from the thread that calls add() and finish().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "json/json.h"
#include "kit/delivery_engine.h"
#include "kit/executor.h"
#include "kit/result.h"

namespace actions::kit {

struct EventRecord {
  std::size_t index = 0;
  bool valid = false;                    // resolved into a payload (delivered or not)
  EventResult result;                    // in a dry run, valid events carry status 200
  const json::Value* payload = nullptr;  // the validated payload; only during the sink call
  std::string_view payloadJson;  // with PipelineOptions::payloadText: the payload as JSON text
  // The payload's messageId, else the event's own when it has one; only during the sink call.
  std::optional<std::string_view> messageId;
};

struct PipelineOptions {
  std::size_t batchSize = 1000;  // payloads per delivery (performBatch call)
  bool dryRun = false;
  unsigned lanes = 1;        // deliveries at once (the engine's lanes; 0 or 1: one)
  unsigned resolvers = 0;    // threads resolving events; 0: chosen from the machine
  bool payloadText = false;  // resolvers also write each valid payload as JSON text
  // How long the oldest event of a partial batch may wait for more before it is delivered.
  std::chrono::milliseconds linger{200};
  // Events longer than this are rejected (413) without being parsed; 0: no limit.
  std::size_t maxEventBytes = 0;
  // Payload bytes per delivery at most (EngineOptions::maxBytes).
  std::size_t maxBatchBytes = EngineOptions{}.maxBytes;
  // Called after each delivery (on a delivery thread): for a host's logs and metrics.
  DeliveryEngine::Observer observer;
};

class BatchPipeline {
 public:
  using Sink = std::function<void(const EventRecord&)>;

  BatchPipeline(ActionExecutor& executor, PipelineOptions options, Sink sink);
  BatchPipeline(ActionExecutor& executor, std::size_t batchSize, bool dryRun, Sink sink);
  ~BatchPipeline();
  BatchPipeline(const BatchPipeline&) = delete;
  BatchPipeline& operator=(const BatchPipeline&) = delete;

  // One event's JSON text; `inputError` is set when the input could not even be split.
  void add(std::size_t index, std::string_view text, std::string_view inputError = {});
  // Delivers what is queued now (partial batches included) and emits every record so far.
  void flush();
  // Delivers what is queued and emits every remaining record.
  void finish();

  // Set once deliveries stopped (an authentication failure or a batch that failed as a whole).
  bool stopped() const;
  EventResult stopReason() const;
  // The engine's counters (null in a dry run).
  const DeliveryEngine* engine() const { return engine_.get(); }

 private:
  struct Block;

  using Clock = std::chrono::steady_clock;

  void start();
  void submitCurrent();
  bool submitLingering();
  bool noRoomForCurrent() const;                          // under mutex_
  void queueCurrent(std::unique_lock<std::mutex>& lock);  // hands current_ on; unlocks
  void lingerLoop();
  void emitDone(std::unique_lock<std::mutex>& lock, bool wait);
  void resolverLoop();
  void resolveBlock(Block& block);
  void submitResolved();     // under mutex_: hands resolved blocks to the engine in input order
  bool shouldFlush() const;  // under mutex_
  Block* blockWithSeq(std::size_t seq);

  ActionExecutor& executor_;
  PipelineOptions options_;
  Sink sink_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<Block>> inFlight_;  // submitted, in input order
  std::vector<std::unique_ptr<Block>> spare_;    // emitted blocks kept for reuse
  std::mutex fillMutex_;  // guards current_: add() fills it, the linger thread hands it on
  std::condition_variable lingerWake_;
  std::unique_ptr<Block> current_;  // being filled by add()
  std::size_t nextSeq_ = 0;
  std::size_t nextToSubmit_ = 0;  // the block the engine gets next
  std::size_t maxInFlight_ = 2;
  std::size_t inFlightBytes_ = 0;  // event text held by the blocks in flight
  bool callerWaiting_ = false;     // add() waits for room: lanes deliver what they hold
  bool flushing_ = false;
  bool finishing_ = false;
  bool shuttingDown_ = false;
  std::vector<std::thread> threads_;  // the resolvers
  std::thread lingerThread_;
  bool lingerStop_ = false;  // under fillMutex_
  bool finished_ = false;
  // Destroyed first (declared last): its pending items point into the blocks.
  std::unique_ptr<DeliveryEngine> engine_;
};

}  // namespace actions::kit
