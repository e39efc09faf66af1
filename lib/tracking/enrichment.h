// What Segment's tracking API adds to an event before any destination sees it, so the mapping
// can use it ($.receivedAt, $.context.ip...). Field by field, with Segment's own words, in
// docs/serve.md "What serve adds to each event":
//   receivedAt         the server's clock when the request arrived;
//   sentAt             the batch's, for an event without its own;
//   originalTimestamp  the timestamp the event came with;
//   timestamp          corrected for the device's clock: receivedAt - (sentAt - originalTimestamp)
//                      when the event has a sentAt; kept as it is without one (an import of
//                      history); receivedAt when the event has none;
//   messageId          "api-" + a KSUID when the event has none;
//   context.ip         the client's address, for events of client-side libraries that have none;
//   projectId          the write key's source name, when the key names one.
// An event that arrives with a receivedAt was received by a tracking API already (Segment
// forwarding it through a webhook): its times are kept as they are.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "json/json.h"

namespace actions::tracking {

struct Arrival {
  std::int64_t receivedAtMicros = 0;         // whole milliseconds: receivedAt as written
  std::string receivedAt;                    // its ISO 8601 text
  const json::Value* batchSentAt = nullptr;  // the batch's own sentAt, when it has one
  bool clientPath = false;  // a path only client-side libraries post to (/v1/b, /v1/t...)
  std::string clientIp;     // the peer's address, or the proxy's word for it
};

// Adds Segment's fields to `event` (an object); `source` is the write key's source name ("":
// none).
void enrich(json::Value& event, json::Allocator& alloc, const Arrival& arrival,
            std::string_view source);

// Whether an event comes from one of Segment's client-side libraries: posted to a client-only
// path, a context.library.name of one (analytics.js, the iOS, Android, Swift, Kotlin, React
// Native and Flutter libraries), or context.direct true (Segment's HTTP API docs: "When sending
// a HTTP call from a user's device, you can collect the IP address by setting context.direct to
// true").
bool fromClient(const json::Value& event, bool clientPath);

// The client's address: the last address of X-Forwarded-For when the proxy is trusted and the
// header has one, else the peer's; an IPv4 address mapped into IPv6 is written as IPv4.
std::string clientAddress(std::string_view peer, std::string_view forwardedFor, bool trustProxy);

}  // namespace actions::tracking
