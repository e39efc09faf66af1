// The SingleStore destination as a host sees it, in Segment's terms: its definition, a settings
// check (actions/settings.h), testAuthentication, the choices of its dynamic fields, and the
// live destination a host keeps for as long as it runs (actions::Destination below), whose
// perform / performBatch run the Send Data action.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "actions/export.h"
#include "actions/sender.h"
#include "actions/settings.h"

namespace actions {

// The definition as JSON, in the shape of Segment's metadata.json for a cloud-mode destination:
// {"name":"SingleStore","slug":"actions-singlestore","mode":"cloud","authentication":{..},
//  "actions":{"send":{..}},"presets":[..]}
ACTIONS_API std::string describe();

// The Send Data action's key ("send") and its default mapping (mappings/send_data.json).
ACTIONS_API std::string_view sendDataAction() noexcept;
ACTIONS_API std::string_view sendDataDefaultMapping() noexcept;

// What testAuthentication found.
struct AuthenticationReport {
  bool ok = false;
  // When ok:
  std::string server;         // host:port
  std::string serverVersion;  // as the server reports it
  std::string dialect;        // "SingleStore" or "MySQL/MariaDB"
  std::string tlsCipher;      // empty when the connection is not encrypted
  std::string table;          // `database`.`table`
  bool tableCreated = false;  // the table was missing and has been created
  // What would make an existing table better, with the statement that does it (a table of
  // earlier versions clustered on messageId: its insert cost grows with it); empty when nothing.
  std::string tableAdvice;
  // When not ok, in Segment's terms: 401 INVALID_AUTHENTICATION (credentials or privileges),
  // 503 RETRYABLE_ERROR (the server cannot be reached), 500 UNKNOWN_ERROR (anything else).
  int status = 200;
  std::string errorType;
  std::string error;  // which step failed (connect, table, write) and why; never the password
};

// Connects with the settings, creates the table when it is missing (checking an existing one),
// and proves the user can write to it with a probe row that is rolled back. Never throws for a
// failure of the server or the settings: it is in the report.
ACTIONS_API AuthenticationReport testAuthentication(const Settings& settings);

// The CREATE TABLE statement of the table that receives the rows, for a DBA to run ahead of
// time: `dialect` is "singlestore", or "mariadb" / "mysql". Exactly the statement the library
// runs itself when the table is missing. Throws std::invalid_argument for an unknown dialect or
// a database or table name the destination would refuse.
ACTIONS_API std::string createTableStatement(std::string_view dialect, std::string_view database,
                                             std::string_view table);

struct Choice {
  std::string label;
  std::string value;
};

// The choices of a dynamic field, or why they could not be listed.
struct DynamicChoices {
  std::vector<Choice> choices;
  std::string nextPage;   // empty: the last page
  std::string error;      // empty on success
  std::string errorCode;  // e.g. INVALID_AUTHENTICATION, or "404" for a field that is not dynamic
  bool ok() const { return error.empty(); }
};

// The choices of the Send Data action's dynamic field `field`: "database" lists the user
// databases the settings' user can see (system schemas left out), sorted. `page` is a previous
// answer's nextPage.
ACTIONS_API DynamicChoices dynamicFieldChoices(std::string_view field, const Settings& settings,
                                               std::string_view page = {});

// One event's answer from a Destination. Owns its data. A result nobody filled in reads as a
// failure.
struct EventResult {
  Outcome outcome = Outcome::Failed;
  int status = 500;       // Segment's multi-status code: 200, 400 rejected, 401 / 429 / 5xx failed
  std::string error;      // why it was not delivered; empty otherwise
  std::string errorType;  // Segment's error code, e.g. PAYLOAD_VALIDATION_FAILED
  std::optional<std::string> messageId;  // the payload's, else the event's own when it has one
  // With CallOptions::withPayloads: the payload the event became, as JSON text (Segment's "sent");
  // empty for events that did not become one.
  std::string payloadJson;
  bool delivered() const { return outcome == Outcome::Inserted || outcome == Outcome::Duplicate; }
};

// What Destination::resolve made of one event: its answer so far — Validated when it became a
// payload, else Skipped or Rejected with the reason — and, when valid, the payload as JSON text,
// which Destination::performPayloads delivers later (a host that queues events durably between
// the two, as `serve` does with its spool).
struct ResolvedEvent {
  EventResult result;
  std::string payloadJson;  // empty unless result.outcome is Validated
};

// What a Destination has done since it was made; for a host's metrics. Every figure is this
// Destination's own, its connections included.
struct DestinationStats {
  std::uint64_t events = 0;  // events handed to perform / performBatch / performPayloads
  std::uint64_t inserted = 0, duplicate = 0, skipped = 0, rejected = 0, failed = 0;
  std::uint64_t deliveries = 0;         // batches written (each one or a few statements)
  std::uint64_t retries = 0;            // transient faults retried
  std::uint64_t queued = 0;             // valid payloads waiting for a delivery right now
  std::uint64_t connectionsOpened = 0;  // connections opened since it was made
  std::uint64_t connectionsOpen = 0;    // connections open right now
};

// The texts of the events (or payloads) of one call, as the host holds them: a
// std::vector<std::string> or of std::string_view, any contiguous range of either (std::array,
// std::span...), a pointer and a count, or a braced list. Nothing is copied into a second
// container; the texts are read before the call returns (the asynchronous calls too), so they
// need to live only that long.
class EventTexts {
 public:
  EventTexts(const std::string* texts, std::size_t count) noexcept
      : strings_(texts), size_(count) {}
  EventTexts(const std::string_view* texts, std::size_t count) noexcept
      : views_(texts), size_(count) {}
  // The list's array lives until the end of the full expression that holds the call.
  EventTexts(std::initializer_list<std::string_view> texts) noexcept
      : views_(std::data(texts)), size_(texts.size()) {}
  template <class Range,
            class Element = std::remove_cv_t<
                std::remove_pointer_t<decltype(std::data(std::declval<const Range&>()))>>,
            class = std::enable_if_t<std::is_same_v<Element, std::string> ||
                                     std::is_same_v<Element, std::string_view>>>
  EventTexts(const Range& texts) noexcept  // NOLINT: converts on purpose
      : EventTexts(std::data(texts), std::size(texts)) {}

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::string_view operator[](std::size_t i) const noexcept {
    return strings_ ? std::string_view(strings_[i]) : views_[i];
  }

 private:
  const std::string* strings_ = nullptr;
  const std::string_view* views_ = nullptr;
  std::size_t size_ = 0;
};

// What one call asks for beyond the answers.
struct CallOptions {
  // Fill EventResult::payloadJson with each valid event's payload (Segment's "sent"), at the
  // cost of writing it out as text.
  bool withPayloads = false;
};

// The live destination: made once from settings, then called for every event, forever, from as
// many threads as the host likes.
//
//   actions::Destination dest(*check.settings);
//   actions::EventResult one = dest.perform(eventJson);
//   std::vector<actions::EventResult> all = dest.performBatch(events);
//   dest.performBatchAsync(events, [](std::vector<actions::EventResult> results) { ... });
//
// It keeps what a call would otherwise rebuild: the compiled mapping and subscription, and a
// pool of connections of its own (SendOptions::parallel of them at most; two by default) reused
// across calls and threads. Valid payloads of concurrent calls are delivered together: while a
// connection writes one batch, the payloads that arrive meanwhile gather into the next, so many
// small calls make few statements. A messageId is stored once; of two copies in flight at once,
// one is inserted and the other is answered duplicate.
//
// A call is answered when every event in it has its final outcome. Transient faults (lost
// connection, server restarting, deadlock...) are retried inside the call, and each event keeps
// its own budget: it is answered within about SendOptions::retryFor (two minutes by default) of
// its call, whatever the events it shares a batch with; what has not been written by then is
// answered failed with status 503, and nothing of it is written later. The database need not be
// up when the Destination is made; calls connect as needed.
class ACTIONS_API Destination {
 public:
  using BatchCallback = std::function<void(std::vector<EventResult> results)>;

  // Uses options.mappingJson, subscription, batchSize (the most payloads one statement carries),
  // parallel (connections), retryFor, linger (default 0), maxEventBytes, hooks and dryRun
  // (resolve and validate only: outcome Validated). Throws what Sender's constructor throws for
  // a bad mapping, subscription or options.
  explicit Destination(const Settings& settings, const SendOptions& options = SendOptions());
  // close(), then frees everything.
  ~Destination();
  Destination(const Destination&) = delete;
  Destination& operator=(const Destination&) = delete;

  // One Segment event (JSON text), as Segment's perform: mapped, validated and delivered.
  EventResult perform(std::string_view eventJson, const CallOptions& options = {});
  // Segment's performBatch: one result per event, in order. A bad event costs only itself.
  std::vector<EventResult> performBatch(EventTexts events, const CallOptions& options = {});
  // Payloads already mapped and validated by the host (the Send Data fields: messageId,
  // timestamp, type, event, message, database), delivered as they are: only this destination's
  // own checks apply (column limits, timestamp range).
  std::vector<EventResult> performPayloads(EventTexts payloads, const CallOptions& options = {});
  // The first half of performBatch alone: each event matched, mapped and validated, nothing
  // delivered, and the valid ones' payloads handed back as text. Counts nothing in stats().
  std::vector<ResolvedEvent> resolve(EventTexts events);

  // The same calls without waiting: the events are resolved on this thread (and read before it
  // returns), their payloads handed to the delivery threads, and `done` runs once every event has
  // its answer — on this thread before the call returns when none needs the database (all
  // rejected or skipped, a dry run), else on one of the Destination's delivery threads. No thread
  // of the host waits for the database, however long the retries last. `done` must return
  // quickly and must not close or destroy this Destination (close() waits for it); what it throws
  // is dropped (and logged through SendOptions::hooks).
  void performBatchAsync(EventTexts events, BatchCallback done, const CallOptions& options = {});
  void performPayloadsAsync(EventTexts payloads, BatchCallback done,
                            const CallOptions& options = {});
  // With a future instead of a callback.
  std::future<std::vector<EventResult>> performBatchAsync(EventTexts events,
                                                          const CallOptions& options = {});
  std::future<std::vector<EventResult>> performPayloadsAsync(EventTexts payloads,
                                                             const CallOptions& options = {});

  // Waits for the calls in progress (synchronous ones to return, asynchronous ones until their
  // callback has returned), then closes the connections. Calls that begin after close() began
  // throw std::logic_error. Idempotent; the destructor calls it.
  void close();

  // Empty when the database takes writes now (decided within 2 s on a connection of its own,
  // read_only included); else why not, in words that name no address or user.
  std::string checkConnection();
  DestinationStats stats() const;
  // The most payloads one delivery carries.
  std::size_t batchSize() const;

  struct Impl;  // private to the library
  // For the library's own front-ends (the plugin ABI).
  ACTIONS_LOCAL explicit Destination(std::unique_ptr<Impl> impl);
  ACTIONS_LOCAL Impl& impl();

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace actions
