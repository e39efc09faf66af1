// The Send Data action for a stream of events: each event is matched against the subscription,
// mapped, cleaned of empty values and validated as Segment does, then delivered in batches.
// Every event gets exactly one record, in input order, through the caller's callback — delivered,
// duplicate, skipped, rejected or failed — so nothing is dropped silently.
//
//   actions::SendOptions options;            // the default mapping and subscription
//   actions::Sender sender(&*check.settings, options, [](const actions::EventRecord& r) {
//     if (r.outcome == actions::Outcome::Failed) std::cerr << r.index << ": " << r.error << '\n';
//   });
//   for (std::size_t i = 0; i < events.size(); ++i) sender.add(i, events[i]);
//   sender.finish();
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "actions/export.h"
#include "actions/hooks.h"
#include "actions/settings.h"

namespace actions {

// What became of one event. Validated: a dry run found it valid (nothing is delivered).
enum class Outcome { Inserted, Duplicate, Skipped, Rejected, Failed, Validated };

// "inserted", "duplicate", "skipped", "rejected", "failed", "validated".
ACTIONS_API const char* toString(Outcome outcome) noexcept;

struct SendOptions {
  // The mapping (mapping-kit JSON, as copied out of Segment); unset: the action's default.
  std::optional<std::string> mappingJson;
  // A subscription (FQL); unset: the action's defaultSubscription; "": every event goes through.
  std::optional<std::string> subscription;
  // Events per batch, 1..10000. 0: the mapping's max_batch_size (one at a time when it sets
  // enable_batching to false). Otherwise it overrides max_batch_size, so payloads carry it too.
  std::size_t batchSize = 0;
  // Resolve and validate only: no database (settings may be absent).
  bool dryRun = false;
  // Batches delivered at once, each over its own connection; 0: the default, two. Events are
  // split among the connections by messageId, so the first copy of a messageId still wins, and
  // records still come in input order.
  unsigned parallel = 0;
  // How long transient faults (lost connection, deadlock, server restarting...) are retried
  // before the events concerned are reported failed; unset: the default of two minutes.
  std::optional<std::chrono::milliseconds> retryFor;
  // How long a partial batch may wait for more events before it is delivered anyway, counted
  // from its oldest event; unset: 200 ms for a Sender (a trickle of events is queryable within
  // about this long, a flood still goes out in full batches), 0 for a Destination (a connection
  // that is free delivers at once; calls that arrive while it writes gather into its next batch).
  std::optional<std::chrono::milliseconds> linger;
  // Events (or payloads) longer than this many bytes are rejected without being parsed: status
  // 413, errorType PAYLOAD_TOO_LARGE, with their messageId when they have one. 0: no limit.
  std::size_t maxEventBytes = 0;
  // The host's logger and metrics (actions/hooks.h); empty: the library keeps quiet.
  Hooks hooks;
};

// One event's record. The views point into the sender's buffers: valid during the callback only.
struct EventRecord {
  std::size_t index = 0;  // the number given to Sender::add
  bool valid = false;     // it resolved into a payload (whether or not it was then delivered)
  Outcome outcome = Outcome::Failed;
  int status = 500;            // HTTP-like: 200, 400 rejected, 401 / 429 / 5xx failed
  std::string_view error;      // why it was not delivered; empty otherwise
  std::string_view errorType;  // Segment's error code, e.g. PAYLOAD_VALIDATION_FAILED
  std::optional<std::string_view> messageId;  // the payload's, else the event's own when it has one
  std::string_view payloadJson;               // dry run, valid events: the validated payload
  bool delivered() const { return outcome == Outcome::Inserted || outcome == Outcome::Duplicate; }
};

class ACTIONS_API Sender {
 public:
  using RecordSink = std::function<void(const EventRecord&)>;

  // `settings` may be null for a dry run only. Throws actions::mapping::InvalidMapping for a
  // mapping that is not valid, actions::InvalidSubscription for a subscription that does not
  // parse, std::invalid_argument for options out of range (or no settings for a real send), and
  // std::runtime_error when this build cannot deliver.
  Sender(const Settings* settings, const SendOptions& options, RecordSink sink);
  ~Sender();
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  // One event's JSON text, numbered by the caller (numbers should increase). `inputError` is set
  // when the input could not even be split into events: the event is rejected with it. Records
  // of earlier events may be handed to the sink during the call. Throws std::logic_error after
  // finish().
  void add(std::size_t index, std::string_view eventJson, std::string_view inputError = {});
  // Delivers what is queued now, without waiting for a batch to fill or for the linger time; when
  // it returns every event added so far has had its record. The sender stays open.
  void flush();
  // Delivers what is queued; when it returns every event added has had its record. A sender
  // destroyed before finish() abandons the events that have not had theirs. After finish(),
  // add() and flush() throw std::logic_error.
  void finish();

  // The batch size in force.
  std::size_t batchSize() const;
  // Whether deliveries stopped early (authentication refused, or a batch failed as a whole after
  // its retries), and why: later events are then reported failed with this reason.
  bool stopped() const;
  std::string stopReason() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace actions
