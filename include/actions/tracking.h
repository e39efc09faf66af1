// Segment's tracking API, the part a server puts in front of a Destination: which paths it
// serves, the shapes of their bodies, where the write key may stand, Segment's limits, and what
// Segment's API adds to every event before any destination sees it (receivedAt, the device
// clock's correction, context.ip, messageId, timestamp), the `integrations` object and the
// source a write key names. No HTTP here: a server hands over what it read (path, body, a few
// headers, the peer's address, the time) and gets back the events to deliver, as JSON text, and
// the events refused with their reasons. docs/serve.md documents each rule and its source.
//
//   actions::tracking::TrackingApi api(options);
//   actions::tracking::Intake in = api.read(request);
//   if (in.status != 200) answer(in.status, in.error);
//   else results = destination.performBatch(views of in.accepted);
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actions/export.h"
#include "actions/sender.h"

namespace actions::tracking {

// The paths of Segment's tracking API (and of the CDN a browser SDK loads its settings from).
enum class Endpoint {
  Unknown,
  Batch,            // POST /v1/batch, /v1/import (Segment's server libraries)
  ClientBatch,      // POST /v1/b (browser batching, mobile SDKs)
  Single,           // POST /v1/track ... /v1/alias, and the short /v1/t ... /v1/a
  ClientMetrics,    // POST /v1/m (analytics.js's own telemetry: answered, not stored)
  ProjectSettings,  // GET /v1/projects/{writeKey}/settings
};

struct EndpointInfo {
  Endpoint endpoint = Endpoint::Unknown;
  std::string type;         // Single: the path's event type ("track"...), given to events without
  bool clientSide = false;  // only Segment's client-side libraries use this path (/v1/b, /v1/t...)
  std::string writeKey;     // ProjectSettings: the key in the path
};

// What `path` (the request target without its query) is.
ACTIONS_API EndpointInfo endpointFor(std::string_view path);

// A write key clients may present, and the name of the source it stands for (empty: none).
struct WriteKey {
  std::string key;
  std::string source;
};

// "KEY" or "KEY=SOURCE" (the form of --write-key); an error message when it is not valid: a key
// must be non-empty without ':' (it is HTTP Basic's user name), a source 1 to 64 characters of
// letters, digits, '.', '_', '-'.
struct WriteKeyParse {
  std::optional<WriteKey> key;
  std::string error;
};
ACTIONS_API WriteKeyParse parseWriteKey(std::string_view text);

enum class KeyCheck { Allowed, Missing, Wrong };

struct Credential {
  KeyCheck check = KeyCheck::Missing;
  std::string source;  // Allowed: the key's source name (empty when it has none)
};

// Segment's limits, as its documentation states them (docs/serve.md "Limits").
struct Limits {
  std::size_t maxEventBytes = 32 * 1024;   // one event, and the body of a single-event path
  std::size_t maxBatchBytes = 500 * 1024;  // the body of a batch path
  std::size_t maxBatchEvents = 2500;       // events of one batch
  // Past any of them the request is refused whole (400), as a body that is not JSON is.
};

struct Options {
  std::vector<WriteKey> writeKeys;
  bool allowAnonymous = false;  // requests without any key are accepted (a wrong key is not)
  // context.ip comes from X-Forwarded-For (its last address: the client as the proxy in front
  // saw it) instead of the peer's address.
  bool trustProxy = false;
  Limits limits;
  // The destination's name in the integrations object ({"All": false, "SingleStore": true}).
  std::string destinationName = "SingleStore";
};

// What a server read of one request.
struct Request {
  EndpointInfo endpoint;
  std::string_view body;           // decompressed; application/json or text/plain alike
  std::string_view authorization;  // the Authorization header, "" when absent
  std::string_view peerAddress;    // the connection's remote address
  std::string_view forwardedFor;   // the X-Forwarded-For header, "" when absent
  std::chrono::system_clock::time_point receivedAt = std::chrono::system_clock::now();
};

// An event of the request that is not handed on, and why.
struct Refusal {
  std::size_t index = 0;                // its place in the request (0 for a single event)
  Outcome outcome = Outcome::Rejected;  // Skipped or Rejected
  std::string reason;                   // a short code: see docs/serve.md "Skipped and rejected"
  std::string error;                    // what is wrong, for a person
  std::optional<std::string> messageId;
  std::string text;  // Rejected: the event's JSON as it was received (one line), for --rejects
};

// One request, read.
struct Intake {
  // 200: the events are below; 400: the body is not JSON or not one of the shapes, or over one
  // of Segment's limits (its bytes, an event's bytes, its events); 401: no write key or a wrong
  // one. Nothing of the request is to be stored unless 200.
  int status = 200;
  std::string error;       // unless 200
  std::string source;      // the write key's source name (empty: none)
  std::size_t events = 0;  // events in the request (accepted + refused)
  // The events to deliver, as JSON text with Segment's fields added, and their places in the
  // request.
  std::vector<std::string> accepted;
  std::vector<std::size_t> acceptedIndex;
  std::vector<Refusal> refused;  // in request order
};

// One event's final answer, for the body of a 200.
struct EventAnswer {
  std::size_t index = 0;
  Outcome outcome = Outcome::Inserted;
  std::string reason;  // for skipped and rejected events
  int status = 200;
  std::string errorType;
  std::string error;
  std::optional<std::string> messageId;
};

// How much of the skipped and rejected events a 200 lists at most; totals are always given.
struct AnswerLimits {
  std::size_t maxListed = 100;
  std::size_t maxBytes = 16 * 1024;
};

// {"success":true} and, when some events were skipped or rejected, "skipped" / "rejected" lists
// ({"index","messageId","reason","status","errorType","error"}) with "skippedTotal" /
// "rejectedTotal" (the lists stop at `limits`; the totals count them all).
ACTIONS_API std::string successBody(const std::vector<EventAnswer>& answers,
                                    const AnswerLimits& limits = AnswerLimits());

// The reason code of a Destination's answer for an event it did not store: "subscription" for a
// skipped event, "validation" for a rejected one, Segment's error type in lower case for a
// failure; "" for a stored one.
ACTIONS_API std::string reasonOf(Outcome outcome, std::string_view errorType);

class ACTIONS_API TrackingApi {
 public:
  explicit TrackingApi(Options options);
  ~TrackingApi();
  TrackingApi(const TrackingApi&) = delete;
  TrackingApi& operator=(const TrackingApi&) = delete;

  const Options& options() const;

  // The key of an Authorization header alone (HTTP Basic's user name), judged before a body is
  // read: Missing when there is none (the body may still carry one).
  Credential checkAuthorization(std::string_view authorization) const;
  // The key of a request: the header's when it has one, else `bodyKey`; the same rule as read().
  Credential checkKey(std::string_view authorization,
                      const std::optional<std::string>& bodyKey) const;

  // The largest body `endpoint` takes (0: none).
  std::size_t maxBody(const EndpointInfo& endpoint) const;

  // Reads a request of a Batch, ClientBatch or Single endpoint.
  Intake read(const Request& request) const;

  // The settings a browser or mobile SDK loads for `writeKey` (GET /v1/projects/{key}/settings),
  // pointing it at `apiBase` ("https://events.example.com": events go to apiBase + "/v1/...").
  // Empty when the key is not one of this server's.
  std::string projectSettings(std::string_view writeKey, std::string_view apiBase) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace actions::tracking
