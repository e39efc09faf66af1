// Streams events through an action: each event is parsed, resolved (subscription, mapping,
// validation) and queued; once `batchSize` payloads are valid they are delivered together, and
// every event's record goes to the sink in input order. Memory stays bounded by one batch.
// A dry run resolves without delivering. When a batch fails authentication, or fails as a whole
// (after the action's own retries), later batches are not attempted: their events are reported
// failed with the reason, never dropped.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json/json.h"
#include "kit/executor.h"
#include "kit/result.h"

namespace actions::kit {

struct EventRecord {
  std::size_t index = 0;
  bool valid = false;                    // resolved into a payload (delivered or not)
  EventResult result;                    // in a dry run, valid events carry status 200
  const json::Value* payload = nullptr;  // the validated payload; only during the sink call
  std::optional<std::string> messageId;  // the payload's, else the event's own when it has one
};

class BatchPipeline {
 public:
  using Sink = std::function<void(const EventRecord&)>;

  BatchPipeline(ActionExecutor& executor, std::size_t batchSize, bool dryRun, Sink sink);

  // One event's JSON text; `inputError` is set when the input could not even be split.
  void add(std::size_t index, std::string_view text, std::string_view inputError = {});
  // Delivers what is queued.
  void finish();

  // Set once deliveries stopped (an authentication failure or a batch that failed as a whole).
  bool stopped() const { return stopped_; }
  const EventResult& stopReason() const { return stopReason_; }

 private:
  struct Pending {
    std::size_t index;
    bool valid;
    EventResult result;
    json::Value* payload;
    std::optional<std::string> messageId;
  };
  void flush();
  void emit(Pending& p);

  ActionExecutor& executor_;
  std::size_t batchSize_;
  bool dryRun_;
  Sink sink_;
  json::Allocator alloc_;  // events and payloads of the current batch
  std::vector<Pending> pending_;
  std::vector<json::Value*> payloads_;
  std::size_t validCount_ = 0;
  bool stopped_ = false;
  EventResult stopReason_;
};

}  // namespace actions::kit
