// The SingleStore destination as a host sees it, in Segment's terms: its definition, a settings
// check (actions/settings.h), testAuthentication, the choices of its dynamic fields, and the
// live destination a host keeps for as long as it runs (actions::Destination below), whose
// perform / performBatch run the Send Data action.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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

// One event's answer from a Destination. Owns its data.
struct EventResult {
  Outcome outcome = Outcome::Failed;
  int status = 500;       // Segment's multi-status code: 200, 400 rejected, 401 / 429 / 5xx failed
  std::string error;      // why it was not delivered; empty otherwise
  std::string errorType;  // Segment's error code, e.g. PAYLOAD_VALIDATION_FAILED
  std::optional<std::string> messageId;  // the payload's, else the event's own when it has one
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

// What a Destination has done since it was made; for a host's metrics.
struct DestinationStats {
  std::uint64_t events = 0;  // events handed to perform / performBatch / performPayloads
  std::uint64_t inserted = 0, duplicate = 0, skipped = 0, rejected = 0, failed = 0;
  std::uint64_t deliveries = 0;         // batches written (each one or a few statements)
  std::uint64_t retries = 0;            // transient faults retried
  std::uint64_t queued = 0;             // valid payloads waiting for a delivery right now
  std::uint64_t connectionsOpened = 0;  // connections opened since it was made
  std::uint64_t connectionsOpen = 0;    // connections open right now
};

// The live destination: made once from settings, then called for every event, forever, from as
// many threads as the host likes.
//
//   actions::Destination dest(*check.settings);
//   actions::EventResult one = dest.perform(eventJson);
//   std::vector<actions::EventResult> all = dest.performBatch(events);
//
// It keeps what a call would otherwise rebuild: the compiled mapping and subscription, and a
// bounded pool of connections (SendOptions::parallel of them; two by default) reused across calls
// and threads. Valid payloads of concurrent calls are delivered together: while a connection
// writes one batch, the payloads that arrive meanwhile gather into the next, so many small calls
// make few statements. A messageId is stored once; of two copies in flight at once, one is
// inserted and the other is answered duplicate.
//
// A call returns when every event in it has its final outcome. Transient faults (lost
// connection, server restarting, deadlock...) are retried inside the call, and a call never
// blocks much longer than SendOptions::retryFor (two minutes by default): what has not been
// written by then is answered failed with status 503, and nothing of it is written later.
// The database need not be up when the Destination is made; each call connects as needed.
class ACTIONS_API Destination {
 public:
  // Uses options.mappingJson, subscription, batchSize (the most payloads one statement carries),
  // parallel (connections), retryFor and dryRun (resolve and validate only: outcome Validated).
  // Throws what Sender's constructor throws for a bad mapping, subscription or options.
  explicit Destination(const Settings& settings, const SendOptions& options = SendOptions());
  // Waits for the calls in progress to end.
  ~Destination();
  Destination(const Destination&) = delete;
  Destination& operator=(const Destination&) = delete;

  // One Segment event (JSON text), as Segment's perform: mapped, validated and delivered.
  EventResult perform(std::string_view eventJson);
  // Segment's performBatch: one result per event, in order. A bad event costs only itself.
  std::vector<EventResult> performBatch(const std::vector<std::string_view>& events);
  // Payloads already mapped and validated by the host (the Send Data fields: messageId,
  // timestamp, type, event, message, database), delivered as they are: only this destination's
  // own checks apply (column limits, timestamp range).
  std::vector<EventResult> performPayloads(const std::vector<std::string_view>& payloads);
  // The first half of performBatch alone: each event matched, mapped and validated, nothing
  // delivered, and the valid ones' payloads handed back as text. Counts nothing in stats().
  std::vector<ResolvedEvent> resolve(const std::vector<std::string_view>& events);

  // Empty when the database takes writes now (decided within 2 s on a connection of its own,
  // read_only included); else why not, in words that name no address or user.
  std::string checkConnection();
  DestinationStats stats() const;
  // The most payloads one delivery carries.
  std::size_t batchSize() const;

  struct Impl;  // private to the library

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace actions
